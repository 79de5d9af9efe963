import time

from django.conf import settings
from django.contrib.auth import logout


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": []}` becomes `camera=()`: the feature is off for everyone."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in policy.items()
    )


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header from ``settings.PERMISSIONS_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
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
