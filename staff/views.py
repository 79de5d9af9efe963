"""The second step of the staff login, and the staff member's own devices.

The middleware lets unverified staff reach these pages, so each one checks for
itself who may do what (staff.twofactor.may_change_devices).
"""

from functools import wraps

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from staff.twofactor import (
    backup_codes_issue_first,
    backup_codes_replace,
    device_entry,
    device_of,
    device_remove,
    devices_for,
    has_two_factor,
    may_change_devices,
    qr_code_svg,
    second_factor_url,
    totp_device_pending,
    totp_enrolment_confirm,
    two_factor_verify,
    two_factor_wait_seconds,
)

staff_login_required = login_required(login_url="admin:login")
# The codes just made, until the page after the redirect has shown them.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Kode",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
        error_messages={"required": "Skriv inn koden."},
    )


def admin_context(request, **context):
    shared = admin.site.each_context(request)
    if not request.user.is_verified():
        # Before the second step, nothing of what the account may open is shown.
        shared.update(available_apps=[], is_nav_sidebar_enabled=False)
    return {**shared, **context}


def verified_only(view):
    """Device pages need a session verified with a device the user already has."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_verified():
            return redirect(second_factor_url(request.user))
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@staff_login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    if not may_change_devices(request):
        messages.info(
            request,
            "Du har allerede innlogging i to trinn. Bekreft med koden eller "
            "passnøkkelen din før du legger til noe nytt.",
        )
        return redirect("two_factor_verify")
    device = totp_device_pending(request=request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolment = totp_enrolment_confirm(
            request=request, device=device, token=form.cleaned_data["token"]
        )
        if enrolment.confirmed and enrolment.backup_codes:
            return show_backup_codes(request, enrolment.backup_codes)
        if enrolment.confirmed:
            messages.success(request, "Autentiseringsappen er lagt til.")
            return redirect("two_factor_devices")
        form.add_error("token", "Koden stemmer ikke. Prøv den neste koden appen viser.")
    return TemplateResponse(
        request,
        "staff/two_factor_setup.html",
        admin_context(
            request,
            title="Sett opp innlogging i to trinn",
            first_enrolment=not request.user.is_verified(),
            form=form,
            qr_code=qr_code_svg(device),
            secret=device.config_url.split("secret=")[1].split("&")[0],
        ),
    )


@never_cache
@staff_login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not has_two_factor(request.user):
        return redirect("two_factor_setup")
    if request.user.is_verified():
        return redirect("admin:index")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor_wait_seconds(request.user)
        if wait:
            form.add_error("token", wait_message(wait))
        elif two_factor_verify(request=request, token=form.cleaned_data["token"]):
            request.session.cycle_key()  # a new key for the verified session
            return redirect("admin:index")
        else:
            form.add_error("token", "Koden stemmer ikke, eller den er brukt før.")
    return TemplateResponse(
        request,
        "staff/two_factor_verify.html",
        admin_context(
            request,
            title="Innlogging, trinn 2",
            form=form,
            devices=devices_for(request.user),
        ),
    )


@never_cache
@staff_login_required
@verified_only
@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """New codes are shown once, after a redirect, so that a reload neither sends
    the form again (replacing the codes just written down) nor shows them twice.
    After a first passkey the codes are made here."""
    if request.method == "POST":
        return show_backup_codes(
            request, backup_codes_replace(user=request.user), replaced=True
        )
    shown = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if shown is None:
        codes = backup_codes_issue_first(user=request.user)
        shown = {"codes": codes, "replaced": False} if codes else None
    if shown is None:
        return redirect("two_factor_devices")
    return TemplateResponse(
        request,
        "staff/two_factor_backup_codes.html",
        admin_context(request, title="Reservekoder", **shown),
    )


def show_backup_codes(request, codes: list[str], *, replaced: bool = False):
    request.session[NEW_CODES_SESSION_KEY] = {"codes": codes, "replaced": replaced}
    return redirect("two_factor_backup_codes")


@never_cache
@staff_login_required
@verified_only
@require_http_methods(["GET"])
def devices(request):
    if request.GET.get("lagt-til") == "passnokkel":
        messages.success(request, "Passnøkkelen er lagt til.")
        return redirect("two_factor_devices")
    return TemplateResponse(
        request,
        "staff/two_factor_devices.html",
        admin_context(
            request, title="Innlogging i to trinn", devices=devices_for(request.user)
        ),
    )


@never_cache
@staff_login_required
@verified_only
@require_http_methods(["GET", "POST"])
def device_delete(request, kind: str, pk: int):
    """GET asks which device and what follows; POST removes it."""
    try:
        device = device_entry(kind, device_of(user=request.user, kind=kind, pk=pk))
    except ObjectDoesNotExist:
        messages.error(request, "Fant ikke enheten.")
        return redirect("two_factor_devices")
    if request.method == "GET":
        return TemplateResponse(
            request,
            "staff/two_factor_device_delete.html",
            admin_context(request, title="Fjerne?", device=device),
        )
    refusal = device_remove(request=request, kind=kind, pk=pk)
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, "Enheten er fjernet.")
    return redirect("two_factor_devices")


def wait_message(seconds: int) -> str:
    unit = "sekund" if seconds == 1 else "sekunder"
    return (
        "Etter en feil kode må du vente litt før neste forsøk (pausen dobles for "
        f"hver feil). Prøv igjen om {seconds} {unit}, med koden appen viser da "
        "eller en reservekode."
    )
