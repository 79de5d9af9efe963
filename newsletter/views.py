"""Newsletter pages: /nyhetsbrev/ sign-up, confirmation and unsubscribe links."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.ratelimit import client_rate_limited
from newsletter.forms import NewsletterSignupForm
from newsletter.models import Subscriber
from newsletter.services import (
    CONFIRM_LINK_MAX_AGE,
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    confirmation_source,
    subscriber_from_token,
    subscription_cancel,
    subscription_confirm,
    subscription_request,
)

RATE_LIMITED = (
    "Vi har fått mange påmeldinger fra deg på kort tid. Vent litt og prøv igjen."
)


@require_http_methods(["GET", "POST"])
def signup(request):
    form = NewsletterSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signup_rate_limited(request):
            form.add_error(None, RATE_LIMITED)
        else:
            subscription_request(
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                source=Subscriber.Source.NEWSLETTER_PAGE,
            )
            # The same page whatever the address: nothing to learn about others.
            return redirect("newsletter:check_email")
    status = 400 if form.errors else 200
    return render(request, "newsletter/signup.html", {"form": form}, status=status)


def signup_rate_limited(request) -> bool:
    return client_rate_limited(
        request, scope="newsletter", limit=settings.NEWSLETTER_SIGNUP_RATE_LIMIT
    )


def check_email(request):
    return render(request, "newsletter/check_email.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button; only the POST confirms (mail scanners follow links)."""
    subscriber = subscriber_from_token(
        token, salt=CONFIRM_SALT, max_age=CONFIRM_LINK_MAX_AGE
    )
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=400)
    if request.method == "POST":
        subscription_confirm(subscriber=subscriber, source=confirmation_source(token))
        return render(request, "newsletter/confirmed.html")
    return render(request, "newsletter/confirm.html")


@csrf_exempt  # the signed token is the proof; mail clients post without a form
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058 one-click: a mail client POSTs `List-Unsubscribe=One-Click`; a person
    who follows the link gets a page with one button."""
    subscriber = subscriber_from_token(token, salt=UNSUBSCRIBE_SALT)
    if request.method == "POST":
        if subscriber is not None:
            subscription_cancel(subscriber=subscriber, source="unsubscribe_link")
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Du er meldt av.", content_type="text/plain")
        return render(request, "newsletter/unsubscribed.html")
    if subscriber is None:
        # Already unsubscribed (the row is gone) or a broken link: same answer.
        return render(request, "newsletter/unsubscribed.html")
    return render(request, "newsletter/unsubscribe.html")
