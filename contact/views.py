import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from contact import spam
from contact.forms import ContactForm
from contact.services import inquiry_create
from core.submissions import new_form_key
from core.visitor_cache import cache_for_visitors, content_page_seconds
from privacy.registry import registry

logger = logging.getLogger(__name__)

NEWSLETTER_CONFIRMATION = (
    "Du får også en e-post med en lenke der du bekrefter at du vil ha nyhetsbrevet."
)
RATE_LIMIT_MESSAGE = (
    "Du har sendt mange henvendelser på kort tid. Vent en time og prøv igjen, "
    "eller send oss en e-post til {email}."
)


# The empty form is the same for every visitor but for its CSRF token, signed
# timestamp and key against a double submission, which each visitor gets anew.
@cache_for_visitors(
    seconds=content_page_seconds,
    fresh_inputs={spam.STARTED_FIELD: spam.started_token, "skjema": new_form_key},
)
@never_cache  # the form carries a fresh CSRF token and timestamp
@require_http_methods(["GET", "POST"])
def contact(request):
    form = ContactForm(request.POST) if request.method == "POST" else ContactForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if not spam.contact_rate_limited(request):
                inquiry_create(**form.inquiry_data())
                if form.cleaned_data["newsletter"]:
                    messages.info(request, NEWSLETTER_CONFIRMATION)
                return redirect("contact:thanks")
            message = RATE_LIMIT_MESSAGE.format(email=settings.BUSINESS_EMAIL)
            form.add_error(None, ValidationError(message, code="rate_limit"))
            status = 429
        for error in form.non_field_errors().as_data():
            logger.info("event=contact_refused reason=%s", error.code)
    return render(
        request,
        "contact/form.html",
        {
            "form": form,
            "honeypot_field": spam.HONEYPOT_FIELD,
            "started_field": spam.STARTED_FIELD,
            "retention": registry.processing("contact.inquiry").retention.text,
        },
        status=status,
    )


@never_cache  # a receipt of what this visitor sent
@require_safe
def thanks(request):
    return render(request, "contact/thanks.html")
