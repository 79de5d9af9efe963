import logging
import sys
from functools import partial

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.visitor_cache import cache_for_visitors
from courses.catalogue import catalogue_version
from courses.selectors import course_dates_upcoming
from glasoterapi.context_processors import business
from glasoterapi.health import health_report
from pages import selectors as content_selectors
from pages.models import Page
from pages.version import content_version

logger = logging.getLogger(__name__)

HOME_UPCOMING_COURSE_DATES = 3
HOME_TESTIMONIALS = 3
# A restarting database is back within seconds; tell clients when to try again.
RETRY_AFTER_SECONDS = "10"


def home_cache_seconds() -> int:
    return settings.HOME_COURSES_CACHE_SECONDS


# Kept until the content changes (an edit shows within a second), and at most
# HOME_COURSES_CACHE_SECONDS for the course list.
@cache_for_visitors(seconds=home_cache_seconds, version=content_version)
@require_safe
def home(request):
    # A callable, which the template calls only when the rendered list is not in the
    # fragment cache: building the annotated queryset alone costs more than the page.
    upcoming = partial(course_dates_upcoming, limit=HOME_UPCOMING_COURSE_DATES)
    return render(
        request,
        "home.html",
        {
            "upcoming_course_dates": upcoming,
            # Called by the template only to look up the fragment.
            "catalogue_version": catalogue_version,
            "home_courses_cache_seconds": settings.HOME_COURSES_CACHE_SECONDS,
            "page": content_selectors.page_for(Page.Key.HOME),
            "testimonials": content_selectors.testimonials_published()[
                :HOME_TESTIMONIALS
            ],
        },
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin)."""
    return redirect(static("img/favicon.svg"), permanent=True)


@never_cache
@require_safe
def health(request):
    """For load balancers: 200 when the database answers, 503 when it does not.
    For monitoring: the body says "degraded", still with 200, while the cache,
    the mail queue or a nightly job needs a person (glasoterapi/health.py)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report = health_report()
    except DatabaseError as error:
        logger.error("event=health_check_failed error=%s", type(error).__name__)
        return JsonResponse({"status": "feil", "database": "utilgjengelig"}, status=503)
    return JsonResponse(report)


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or the Norwegian 503 page when the database is down or restarting.

    Called by Django while the exception is being handled, so `sys.exc_info()` still
    holds it; the connection is health-checked on the next request and the site
    recovers by itself.
    """
    exception = sys.exc_info()[1]
    status = 503 if isinstance(exception, DatabaseError) else 500
    # Rendered without the request: its context processors may need the database.
    html = loader.render_to_string(f"{status}.html", business(None))
    response = HttpResponse(html, status=status)
    if status == 503:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


# Search engines may read every public page, not Mine data, whose links come by
# mail. The admin is not named: its address may be set (ADMIN_URL) to stay out of
# sight, and it needs a login anyway.
ROBOTS_TXT = """User-agent: *
Disallow: /personvern/mine-data/
Sitemap: {site_url}/sitemap.xml
"""


@require_safe
def robots_txt(request):
    return HttpResponse(
        ROBOTS_TXT.format(site_url=settings.SITE_URL), content_type="text/plain"
    )
