"""The second step of the staff login: enrol an authenticator app, or enter a code."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from glasoterapi.twofactor import (
    qr_code_svg,
    totp_device_pending,
    totp_enrolment_confirm,
    two_factor_verify,
    two_factor_wait_seconds,
)


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Kode",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        error_messages={"required": "Skriv inn koden."},
    )


def admin_context(request, **context):
    from django.contrib import admin

    return {**admin.site.each_context(request), **context}


@login_required(login_url="admin:login")
@require_http_methods(["GET", "POST"])
def setup(request):
    device = totp_device_pending(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = totp_enrolment_confirm(
            request=request, device=device, token=form.cleaned_data["token"]
        )
        if codes:
            return TemplateResponse(
                request,
                "admin/two_factor_backup_codes.html",
                admin_context(request, title="Reservekoder", codes=codes),
            )
        form.add_error("token", "Koden stemmer ikke. Prøv den neste koden appen viser.")
    return TemplateResponse(
        request,
        "admin/two_factor_setup.html",
        admin_context(
            request,
            title="Sett opp innlogging i to trinn",
            form=form,
            qr_code=qr_code_svg(device),
            secret=device.config_url.split("secret=")[1].split("&")[0],
        ),
    )


@login_required(login_url="admin:login")
@require_http_methods(["GET", "POST"])
def verify(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = two_factor_wait_seconds(request.user)
        if wait:
            form.add_error("token", wait_message(wait))
        elif two_factor_verify(request=request, token=form.cleaned_data["token"]):
            return redirect("admin:index")
        else:
            form.add_error("token", "Koden stemmer ikke, eller den er brukt før.")
    return TemplateResponse(
        request,
        "admin/two_factor_verify.html",
        admin_context(request, title="Innlogging, trinn 2", form=form),
    )


def wait_message(seconds: int) -> str:
    unit = "sekund" if seconds == 1 else "sekunder"
    return (
        "Etter en feil kode må du vente litt før neste forsøk (pausen dobles for "
        f"hver feil). Prøv igjen om {seconds} {unit}, med koden appen viser da."
    )
