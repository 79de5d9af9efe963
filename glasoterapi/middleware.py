from django.conf import settings


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
