"""Two-factor authentication for staff, built on django-otp: an authenticator app
(TOTP), passkeys (WebAuthn, through django-otp-webauthn) and single-use backup codes.

A password alone never reaches an admin page: after the password, staff enrol a
second factor (first login only) or prove one they have; `StaffTwoFactorMiddleware`
sends them there and `StaffAdminSite` refuses everything until they have.

The rule that keeps the second factor from being skipped: a user who already has a
confirmed device may add or remove devices only in a session verified with one of
them. Enrolling without that is for a user with no device at all, and only within
the login that showed the secret.
"""

import dataclasses
import io
import math

import segno
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core.norwegian import moment

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Reservekoder"
# The session's own pending app: a secret shown in another login never confirms.
PENDING_TOTP_SESSION_KEY = "two_factor_pending_totp"


@dataclasses.dataclass(frozen=True)
class Enrolment:
    confirmed: bool
    # Fresh backup codes at a first enrolment; empty when the user has them already.
    backup_codes: list[str] = dataclasses.field(default_factory=list)


def has_two_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def second_factor_url(user: User) -> str:
    """Where a staff member goes after the password: prove a device, or enrol one."""
    name = "two_factor_verify" if has_two_factor(user) else "two_factor_setup"
    return reverse(name)


def may_change_devices(request) -> bool:
    """A user with no device may enrol one; a user with one must have verified with
    it in this session first."""
    return request.user.is_verified() or not has_two_factor(request.user)


def totp_device_pending(*, request) -> TOTPDevice:
    """This login's unconfirmed authenticator app (made once per login)."""
    user = request.user
    pending_pk = request.session.get(PENDING_TOTP_SESSION_KEY)
    device = TOTPDevice.objects.filter(
        pk=pending_pk, user=user, confirmed=False
    ).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=user, name="Autentiseringsapp", confirmed=False
        )
        request.session[PENDING_TOTP_SESSION_KEY] = device.pk
    return device


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (nothing loaded from anywhere)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out, kind="svg", scale=5, xmldecl=False, svgns=True, title="QR-kode"
    )
    return out.getvalue().decode()


def totp_enrolment_confirm(*, request, device: TOTPDevice, token: str) -> Enrolment:
    """Confirm the new app with a code from it. At a first enrolment this also
    issues backup codes and marks the session verified; a verified user adding an
    app keeps their session and codes."""
    if not may_change_devices(request) or not device.verify_token(token):
        return Enrolment(confirmed=False)
    first = not has_two_factor(device.user)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_replace(user=device.user) if first else []
    request.session.pop(PENDING_TOTP_SESSION_KEY, None)
    if not request.user.is_verified():
        otp_login(request, device)
    return Enrolment(confirmed=True, backup_codes=codes)


def backup_codes_issue_first(*, user: User) -> list[str]:
    """Backup codes for a user who has never had any (after a first passkey, which
    also makes the app set-up the page had begun unnecessary)."""
    if StaticDevice.objects.filter(user=user).exists():
        return []
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return backup_codes_replace(user=user)


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def backup_codes_replace(*, user: User) -> list[str]:
    """New single-use backup codes; any old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_DEVICE_NAME)
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
    # Backup codes have the same pause as the app (django-otp throttles both).
    throttled = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    for device in throttled:
        allowed, details = device.verify_is_allowed()
        if not allowed and details.get("locked_until"):
            waits.append(math.ceil((details["locked_until"] - now).total_seconds()))
    return max(waits)


@dataclasses.dataclass(frozen=True)
class DeviceEntry:
    """One app or passkey as its owner tells them apart."""

    kind: str  # "app" or "passkey", as in the removal URL
    pk: int
    label: str  # "Passnøkkel lagt til 01.12.2026 kl. 14.05"
    last_used: str


def device_entry(kind: str, device) -> DeviceEntry:
    what = {"app": "Autentiseringsapp", "passkey": "Passnøkkel"}[kind]
    name = f" «{device.name}»" if device.name and device.name != what else ""
    return DeviceEntry(
        kind=kind,
        pk=device.pk,
        label=f"{what}{name} lagt til {moment(device.created_at)}",
        last_used=moment(device.last_used_at) or "aldri",
    )


@dataclasses.dataclass(frozen=True)
class Devices:
    apps: list[TOTPDevice]
    passkeys: list[WebAuthnCredential]
    backup_codes_left: int

    @property
    def count(self) -> int:
        return len(self.apps) + len(self.passkeys)

    @property
    def entries(self) -> list[DeviceEntry]:
        return [
            *(device_entry("passkey", device) for device in self.passkeys),
            *(device_entry("app", device) for device in self.apps),
        ]


def devices_for(user: User) -> Devices:
    return Devices(
        apps=list(TOTPDevice.objects.filter(user=user, confirmed=True)),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True)),
        backup_codes_left=backup_codes_left(user),
    )


DEVICE_MODELS = {"app": TOTPDevice, "passkey": WebAuthnCredential}


def device_of(*, user: User, kind: str, pk: int) -> TOTPDevice | WebAuthnCredential:
    """One of the user's own confirmed apps or passkeys (DoesNotExist otherwise)."""
    model = DEVICE_MODELS.get(kind)
    if model is None:
        raise TOTPDevice.DoesNotExist
    return model.objects.get(pk=pk, user=user, confirmed=True)


def device_remove(*, request, kind: str, pk: int) -> str | None:
    """Remove one of the verified user's apps or passkeys; a message when refused.
    The last one stays, so that the account keeps a second factor, and so does the
    one this session was verified with (removing it would end the session)."""
    user = request.user
    if not user.is_verified():
        return "Bekreft med en kode eller passnøkkel først."
    model = DEVICE_MODELS.get(kind)
    if model is None:
        return "Fant ikke enheten."
    with transaction.atomic():
        # A write to the user's row first: two removals at the same moment then
        # run one after the other (a row lock on PostgreSQL, the write lock on
        # SQLite), so they cannot both see a second device and leave none.
        User.objects.filter(pk=user.pk).update(last_login=F("last_login"))
        if devices_for(user).count <= 1:
            return "Du kan ikke fjerne den siste måten å logge inn i to trinn på."
        if isinstance(user.otp_device, model) and user.otp_device.pk == pk:
            return (
                "Du er logget inn med denne nå. Logg inn med en annen av dem før "
                "du fjerner den."
            )
        if not model.objects.filter(pk=pk, user=user).delete()[0]:
            return "Fant ikke enheten."
    return None


def two_factor_reset(*, user: User) -> int:
    """For an operator, when a phone or key is lost: the user enrols again at the
    next login. Ends the user's sessions too, so that none left open (verified or
    stopped at the second step) can enrol the next device. Returns how many apps,
    passkeys and backup-code sets were removed."""
    removed = 0
    with transaction.atomic():
        for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
            devices = model.objects.filter(user=user)
            removed += devices.count()
            devices.delete()
        user_sessions_end(user=user)
    return removed


def user_sessions_end(*, user: User) -> int:
    """Log the user out everywhere. Django keeps no index of sessions by user, so
    the live ones are decoded (a few hundred at most on this site)."""
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended
