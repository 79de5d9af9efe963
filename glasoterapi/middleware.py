import time

from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from glasoterapi.twofactor import second_factor_url


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": []}` becomes `camera=()`: the feature is off for everyone."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in policy.items()
    )


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and the strict CSP and frame ban on any
    response that the middlewares inside never saw: a page cache hit, or an error
    answered before them (a 400 for an unknown Host)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Permissions-Policy": permissions_policy_header(
                settings.PERMISSIONS_POLICY
            ),
            # The configured policy without a nonce: no inline script at all.
            "Content-Security-Policy": build_policy(),
            "X-Frame-Options": settings.X_FRAME_OPTIONS,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.setdefault(name, value)
        return response


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
