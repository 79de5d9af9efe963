from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.views.decorators.http import require_http_methods, require_safe

from core.visitor_cache import cache_for_visitors, content_page_seconds
from privacy.consent import (
    categories_in_use,
    expire_cookies,
    safe_next,
    set_consent_cookie,
)
from privacy.forms import ConsentForm
from privacy.registry import GOOGLE_ANALYTICS, HOSTING, CookieCategory, registry
from privacy.services.consent import consent_decide
from privacy.services.retention import retention_ran_within


def retention_last_ran() -> str:
    """The statement names when retention last ran, so a new run is a new page."""
    last_ran = retention_ran_within(hours=26)
    return last_ran.isoformat() if last_ran else ""


@cache_for_visitors(seconds=content_page_seconds, version=retention_last_ran)
@require_safe
def privacy_statement(request):
    return render(
        request,
        "privacy/statement.html",
        {
            **operators_settings(),
            "processings": registry.processings_about(staff=False),
            "cookie_groups": cookie_groups(),
            "hosting": HOSTING,
            "google": GOOGLE_ANALYTICS,
            "retention_last_ran": retention_ran_within(hours=26),
            "policy_version": settings.PRIVACY_POLICY_VERSION,
            "analytics_enabled": analytics_enabled(),
        },
    )


@require_safe
def statement_version(request, version: str):
    """Each earlier version as it was published, at a stable address: the 2023
    original as its text, later ones as their rendered HTML, each a template
    committed when the version was replaced (privacy/templates/privacy/archive/)."""
    if version == settings.PRIVACY_POLICY_VERSION:
        return redirect("privacy:statement")
    try:
        archived = select_template(
            [f"privacy/archive/{version}.html", f"privacy/archive/{version}.txt"]
        )
    except TemplateDoesNotExist as missing:
        raise Http404("Ingen slik versjon.") from missing
    return render(
        request,
        "privacy/statement_version.html",
        {
            **operators_settings(),
            "version": version,
            "archived": archived.template.name,
        },
    )


def operators_settings() -> dict:
    """What the statement takes from the settings rather than from its version: who
    receives the data (and where), and how long Google keeps statistics. Archived
    versions show them as they are set now, like the business's identity."""
    recipients = registry.recipients(analytics=analytics_enabled())
    return {
        "recipients": recipients,
        "transfers": [r for r in recipients if r.transfer],
        "recipient_names": {r.setting: r.name for r in recipients if r.setting},
        "ga_retention_months": settings.GA_DATA_RETENTION_MONTHS,
    }


@require_http_methods(["GET", "POST"])
def cookie_settings(request):
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            return save_choice(request, form)
        status = 400
    else:
        form = ConsentForm()
        status = 200
    return render(
        request,
        "privacy/cookie_settings.html",
        {
            "form": form,
            "consent": request.consent,
            "optional_categories": categories_in_use(),
            "necessary": CookieCategory.NECESSARY,
            "cookie_groups": cookie_groups(),
        },
        status=status,
    )


def save_choice(request, form: ConsentForm):
    consent = consent_decide(
        previous=request.consent,
        granted=form.granted(),
        withdraw=form.cleaned_data["choice"] == "withdraw",
        source=form.cleaned_data["source"] or "settings",
    )
    if wants_json(request):
        response = JsonResponse({"granted": sorted(consent.granted)})
    else:
        response = redirect(safe_next(request, form.cleaned_data["next"]))
    set_consent_cookie(response, consent)
    for category in registry.optional_categories():
        if not consent.allows(category):
            expire_cookies(response, request, category)
    return response


def analytics_enabled() -> bool:
    return bool(settings.GA_MEASUREMENT_ID)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def cookie_groups() -> list[tuple[CookieCategory, list]]:
    """The declared cookies of the categories in use, by category."""
    in_use = [CookieCategory.NECESSARY, *categories_in_use()]
    groups = [(category, registry.cookies_in(category)) for category in in_use]
    return [(category, cookies) for category, cookies in groups if cookies]
