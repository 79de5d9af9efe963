"""Two-factor authentication for staff (TOTP apps such as Google or Microsoft
Authenticator, plus single-use backup codes), built on django-otp.

A password alone never reaches an admin page: after the password, staff enrol a
TOTP app (first login) or enter a code from it; `StaffTwoFactorMiddleware` sends
them there and `StaffAdminSite` refuses everything until they have.
"""

import io
import math

import segno
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

ISSUER = "glasoterapi.no"
BACKUP_CODE_COUNT = 10


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Autentiseringsapp", confirmed=False
    )


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (nothing loaded from anywhere)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, xmldecl=False, svgns=True, title="QR-kode"
    )
    return out.getvalue().decode()


def totp_enrolment_confirm(*, request, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the app with a code from it; returns fresh backup codes, or [] when
    the code is wrong. Marks this session as verified."""
    if not device.verify_token(token):
        return []
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_replace(user=device.user)
    otp_login(request, device)
    return codes


def backup_codes_replace(*, user: User) -> list[str]:
    """New single-use backup codes; any old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Reservekoder")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    device.token_set.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def two_factor_verify(*, request, token: str) -> bool:
    """A code from the app, or a backup code (each works once)."""
    device = match_token(request.user, token.replace(" ", ""))
    if device is None:
        return False
    otp_login(request, device)
    return True


def two_factor_wait_seconds(user: User) -> int:
    """How long the user must wait before the next code can be tried: after each
    wrong code django-otp doubles the pause (1, 2, 4 ... seconds) and refuses even a
    right code before it ends."""
    now = timezone.now()
    waits = [0]
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed and details.get("locked_until"):
            waits.append(math.ceil((details["locked_until"] - now).total_seconds()))
    return max(waits)


def has_two_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def two_factor_reset(*, user: User) -> int:
    """For an operator, when a phone is lost: the user enrols again at next login."""
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        count, _ = model.objects.filter(user=user).delete()
        deleted += count
    return deleted
