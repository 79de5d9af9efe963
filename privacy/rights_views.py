"""Self-service data-subject rights at /personvern/mine-data/."""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.ratelimit import client_key, client_rate_limited, rate_limit_exceeded
from privacy.forms import ObjectionForm, RectificationForm, RightsStartForm
from privacy.models import DataSubjectRequest
from privacy.registry import email_key
from privacy.services.rights import (
    LinkState,
    erasure_request_handle,
    is_restricted,
    request_record,
    session_email,
    session_end,
    session_start,
    subject_erasure_foreseen,
    subject_export_file,
    subject_lift_restriction,
    subject_object_to_marketing,
    subject_owns_record,
    subject_records,
    subject_restrict,
    verification_link_check,
    verification_renew,
    verification_request,
    verification_use,
)

START = "privacy:rights_start"
OVERVIEW = "privacy:rights_overview"
SELF = DataSubjectRequest.Channel.SELF_SERVICE
TOO_MANY = "Du har bedt om mange lenker på kort tid. Vent litt og prøv igjen."
Kind = DataSubjectRequest.Kind


@never_cache  # a refused form shows the address typed
@require_http_methods(["GET", "POST"])
def start(request):
    form = RightsStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if too_many_requests(request, email=email):
            form.add_error(None, TOO_MANY)
        else:
            verification_request(email=email)
            return redirect("privacy:rights_sent")
    status = 400 if form.errors else 200
    return render(request, "privacy/rights/start.html", {"form": form}, status=status)


def too_many_requests(request, *, email: str | None = None) -> bool:
    """Limits on what one client may ask for, never on what an address may
    receive: a stranger elsewhere can then not keep its owner from getting a link."""
    client = client_key(request, scope="rights")
    per_client = client_rate_limited(request, scope="rights", limit=10)
    per_client_and_address = email is not None and rate_limit_exceeded(
        scope="rights-address",
        key=f"{client}:{email_key(email)}",
        limit=3,
        window_seconds=3600,
    )
    return per_client or per_client_and_address


@require_GET
def sent(request):
    renewed = "ny-lenke" in request.GET
    return render(request, "privacy/rights/sent.html", {"renewed": renewed})


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request, token):
    """GET only shows a button: mail scanners that open links must not use up a
    link that works once. The POST opens one Mine data session."""
    if request.method == "POST":
        email = verification_use(token)
        if email is not None:
            session_start(request, email=email)
            return redirect(OVERVIEW)
    check = verification_link_check(token)
    if check.state is LinkState.VALID:
        return render(request, "privacy/rights/open.html", {"token": token})
    return render(
        request,
        "privacy/rights/link_invalid.html",
        {"state": check.state.value, "token": token},
        status=400,
    )


@never_cache
@require_POST
def renew(request, token):
    if too_many_requests(request):
        messages.error(request, TOO_MANY)
        return redirect(START)
    verification_renew(token)
    return redirect(reverse("privacy:rights_sent") + "?ny-lenke")


def verified(view):
    """Only inside a verified session; otherwise back to the start page. Never
    kept in the browser's cache: after "Logg ut", Back must not show the data."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        email = session_email(request)
        if email is None:
            messages.info(request, "Økten er utløpt. Be om en ny lenke.")
            return redirect(START)
        return view(request, email, *args, **kwargs)

    return wrapper


@require_GET
@verified
def overview(request, email):
    return render(
        request,
        "privacy/rights/overview.html",
        {
            "email": email,
            "found": subject_records(email=email),
            "restricted": is_restricted(email),
            "rectification_form": RectificationForm(),
            "objection_form": ObjectionForm(),
        },
    )


@require_GET
@verified
def download(request, email):
    request_record(kind=Kind.PORTABILITY, email=email, channel=SELF, done=True)
    return export_download(email)


def export_download(email: str) -> HttpResponse:
    """The person's data as a JSON file (also used by staff in admin)."""
    file = subject_export_file(email=email)
    response = HttpResponse(
        file["content"], content_type=f"{file['mimetype']}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{file["filename"]}"'
    return response


@require_POST
@verified
def rectify(request, email):
    form = RectificationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Skriv hva som skal rettes.")
        return redirect(OVERVIEW)
    data = form.cleaned_data
    if not subject_owns_record(
        email=email, processing_key=data["processing"], record_id=data["record"]
    ):
        messages.error(request, "Fant ikke den raden blant opplysningene dine.")
        return redirect(OVERVIEW)
    request_record(
        kind=Kind.RECTIFICATION,
        email=email,
        channel=SELF,
        done=False,
        details=data["details"],
        record=(data["processing"], data["record"]),
    )
    messages.success(
        request, "Takk! Vi retter opplysningene og gir deg beskjed innen en måned."
    )
    return redirect(OVERVIEW)


@require_http_methods(["GET", "POST"])
@verified
def erase(request, email):
    if request.method == "GET":
        return render(
            request,
            "privacy/rights/erase_confirm.html",
            {"consequences": subject_erasure_foreseen(email=email)},
        )
    report = erasure_request_handle(email=email, channel=SELF)
    return render(request, "privacy/rights/erased.html", {"report": report})


@require_POST
@verified
def restrict(request, email):
    if request.POST.get("lift"):
        subject_lift_restriction(email=email)
        messages.success(request, "Begrensningen er opphevet.")
    else:
        subject_restrict(email=email)
        request_record(kind=Kind.RESTRICTION, email=email, channel=SELF, done=True)
        messages.success(
            request,
            "Opplysningene dine er begrenset: vi tar vare på dem, men bruker dem ikke "
            "til noe annet, og sender deg ingen e-post.",
        )
    return redirect(OVERVIEW)


@require_POST
@verified
def object_to_marketing(request, email):
    subject_object_to_marketing(email=email)
    request_record(
        kind=Kind.OBJECTION,
        email=email,
        channel=SELF,
        done=True,
        outcome="Meldt av nyhetsbrevet og satt på sperrelisten.",
    )
    messages.success(request, "Du får ingen markedsføring fra oss lenger.")
    return redirect(OVERVIEW)


@require_POST
@verified
def object_to_processing(request, email):
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Skriv hva du protesterer mot.")
        return redirect(OVERVIEW)
    request_record(
        kind=Kind.OBJECTION,
        email=email,
        channel=SELF,
        done=False,
        details=form.cleaned_data["details"],
    )
    messages.success(request, "Takk! Vi vurderer protesten og svarer innen en måned.")
    return redirect(OVERVIEW)


@require_POST
def log_out(request):
    session_end(request)
    messages.info(request, "Du er logget ut av Mine data.")
    return redirect(START)
