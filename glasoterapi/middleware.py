from csp.utils import build_policy
from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": []}` becomes `camera=()`: the feature is off for everyone."""
    return ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in policy.items()
    )


def security_headers() -> dict[str, str]:
    return {
        "Permissions-Policy": permissions_policy_header(settings.PERMISSIONS_POLICY),
        # The configured policy without a nonce: no inline script at all.
        "Content-Security-Policy": build_policy(),
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
    }


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and the strict CSP and frame ban on any
    response that the middlewares inside never saw: an error answered before them
    (a 400 for an unknown Host). Page cache hits keep the headers stored with the
    page."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = security_headers()

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.setdefault(name, value)
        return response
