from django.conf import settings
from django.utils.cache import patch_vary_headers

from privacy.analytics import GOOGLE_CSP, gtag_snippet
from privacy.consent import consent_from_request

HEAD_END = b"</head>"


class ConsentMiddleware:
    """Puts the visitor's choice on `request.consent` and, only for visitors who
    granted statistics, adds Google Analytics to HTML pages and lets the CSP allow
    Google's hosts. For everyone else the CSP keeps forbidding them, so the
    browser itself enforces the promise.

    Must sit inside django-csp's CSPMiddleware, which reads `_csp_update`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.consent = consent_from_request(request)
        response = self.get_response(request)
        if is_html_page(request, response):
            # The banner and the tag depend on the consent cookie and on Sec-GPC.
            patch_vary_headers(response, ["Cookie", "Sec-GPC"])
            if should_inject_analytics(request, response):
                inject_analytics(request, response)
        return response


def is_html_page(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        # Staff pages are never measured.
        and not request.path.startswith(f"/{settings.ADMIN_URL}")
    )


def should_inject_analytics(request, response) -> bool:
    return bool(
        settings.GA_MEASUREMENT_ID
        and request.consent.allows_statistics
        and HEAD_END in response.content
    )


def inject_analytics(request, response) -> None:
    snippet = gtag_snippet(
        measurement_id=settings.GA_MEASUREMENT_ID, nonce=str(request.csp_nonce)
    )
    response.content = response.content.replace(
        HEAD_END, snippet.encode() + HEAD_END, 1
    )
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    response._csp_update = GOOGLE_CSP
