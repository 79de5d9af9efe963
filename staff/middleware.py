import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from staff.twofactor import second_factor_url


class StaffIdleTimeoutMiddleware:
    """Logs staff out after `STAFF_SESSION_IDLE_MINUTES` without a request.

    A staff session can read every visitor's data; one left open on a shared
    computer must not stay usable for the session cookie's whole lifetime.
    """

    SESSION_KEY = "staff_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            last_seen = request.session.get(self.SESSION_KEY, now)
            if now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)
            else:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Sends staff who have given their password, but not yet a second factor, to
    enrol an authenticator app (first login) or to enter a code from it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL
        self.open_paths = {
            f"{self.admin_prefix}login/",
            f"{self.admin_prefix}logout/",
        }

    def __call__(self, request):
        if self.needs_second_factor(request):
            return redirect(second_factor_url(request.user))
        return self.get_response(request)

    def needs_second_factor(self, request) -> bool:
        path = request.path
        # Only the admin; its login, logout and the 2FA pages themselves are open.
        if not path.startswith(self.admin_prefix) or path in self.open_paths:
            return False
        if path.startswith(f"{self.admin_prefix}2fa/"):
            return False
        user = request.user
        return user.is_authenticated and user.is_staff and not user.is_verified()
