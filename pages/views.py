from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.static import serve

from core.visitor_cache import cache_for_visitors, content_page_seconds
from pages import selectors
from pages.models import Page
from pages.version import content_version


# Kept until the content changes (an edit shows at once).
@cache_for_visitors(seconds=content_page_seconds, version=content_version)
@require_safe
def about(request):
    return render(
        request,
        "pages/about.html",
        {
            "page": selectors.page_for(Page.Key.ABOUT),
            "people": selectors.people_published(),
            "questions": selectors.questions_published(),
        },
    )


@cache_for_visitors(seconds=content_page_seconds, version=content_version)
@require_safe
def purchase_terms(request):
    return render(
        request,
        "pages/purchase_terms.html",
        {"page": selectors.page_for(Page.Key.PURCHASE_TERMS)},
    )


@require_safe
def media(request, path):
    """Uploaded images while developing (`SERVE_MEDIA`, on with DEBUG). In
    production nginx serves /media/ itself and this is never reached."""
    if not settings.SERVE_MEDIA:
        raise Http404("Fant ikke filen.")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # The names are content hashes: a name always means the same bytes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
