"""Data-subject rights (GDPR art. 15-21), generic over the declarations.

Nothing here knows about inquiries or bookings: every operation walks the
`Processing` declarations in the registry, so a new app's data is found, exported,
erased and restricted as soon as it is declared.
"""

import calendar
import dataclasses
import enum
import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from core import norwegian
from core.business import business
from outbox.services import email_queue, mail_kinds_named
from privacy.models import DataSubjectRequest, EmailVerification, Restriction
from privacy.registry import (
    Consequence,
    ErasureAction,
    ErasureReport,
    Processing,
    email_key,
    marketing_objected,
    normalise_email,
    registry,
    restriction_changed,
)
from privacy.services.audit import access_audit_record
from privacy.services.journal import ERASURE, journal_record
from privacy.services.requests import request_answer, request_notify
from privacy.services.retention import erase

logger = logging.getLogger(__name__)

# Requests answered with a copy of the person's data.
COPY_KINDS = (DataSubjectRequest.Kind.ACCESS, DataSubjectRequest.Kind.PORTABILITY)

mail_kinds_named(
    {
        "privacy.rights.verify": "Lenke til Mine data",
        "privacy.rights.unknown": "Mine data: ingen opplysninger om adressen",
    }
)


@dataclasses.dataclass
class Found:
    """One processing's records for a data subject."""

    processing: Processing
    records: list[dict]
    # pk -> when a legal hold on the record ends (None: not started yet).
    held_until: dict[int, datetime | None] = dataclasses.field(default_factory=dict)

    @property
    def records_counted(self) -> str:
        """ "1 post", "3 poster"."""
        return norwegian.count(len(self.records), "post", "poster")

    @property
    def rows(self) -> list[list[tuple[str, str]]]:
        """The records as people read them, each value with its column's name (the
        overview's table, whose rows become cards on a phone)."""
        labels = self.processing.export_labels
        return [
            list(zip(labels, self.processing.display_record(record), strict=True))
            for record in self.records
        ]


def subject_records(*, email: str) -> list[Found]:
    """Every record the declarations find for this address, with what they export."""
    found = []
    for processing in registry.processings:
        queryset = processing.records_for(email)
        records = [
            {"id": row["pk"], **{f: row[f] for f in processing.export_fields}}
            for row in queryset.values("pk", *processing.export_fields)
        ]
        # Holds are looked up whether or not there are records, so that known and
        # unknown addresses cost the same (no enumeration by timing).
        held_until = holds(processing, email=email)
        if records:
            found.append(Found(processing, records, held_until=held_until))
    return found


def subject_owns_record(*, email: str, processing_key: str, record_id: int) -> bool:
    """Whether a record the person names (to correct it) is one of their own."""
    processing = next(
        (p for p in registry.processings if p.key == processing_key), None
    )
    return processing is not None and (
        processing.records_for(email).filter(pk=record_id).exists()
    )


def holds(processing: Processing, *, email: str) -> dict[int, datetime | None]:
    """The records a legal obligation still holds, and until when."""
    if not processing.legal_hold:
        return {}
    now = timezone.now()
    retention = processing.retention
    held = {}
    for pk, start in processing.records_for(email).values_list(
        "pk", retention.counted_from
    ):
        until = retention.expires_at(start)
        if until is None or until > now:
            held[pk] = until
    return held


def subject_export(*, email: str) -> dict:
    """Access (art. 15) and portability (art. 20): this person's data and the facts
    about its processing, as one structured document."""
    controller = business()
    return {
        "generert": timezone.localtime().isoformat(timespec="seconds"),
        "behandlingsansvarlig": {
            "navn": controller.legal_name,
            "organisasjonsnummer": controller.orgnr,
            "adresse": controller.address,
            "e-post": controller.email,
            "telefon": controller.phone,
        },
        "e-postadresse": email,
        "behandlinger": [
            {
                "formål": found.processing.purpose,
                "behandlingsgrunnlag": (
                    f"{found.processing.legal_basis.label} "
                    f"({found.processing.legal_basis.citation})"
                ),
                "begrunnelse": found.processing.legal_basis_reason,
                "opplysninger": list(found.processing.data_categories),
                "kilde": found.processing.source,
                "mottakere": found.processing.recipients_text,
                "lagringstid": found.processing.retention.text,
                "poster": [
                    found.processing.export_record(record) for record in found.records
                ],
            }
            for found in subject_records(email=email)
        ],
    }


def subject_export_file(*, email: str) -> dict:
    """The export as the JSON file Mine data downloads: an outbox attachment."""
    document = subject_export(email=email)
    return {
        "filename": f"mine-data-glasoterapi-{timezone.localdate():%Y-%m-%d}.json",
        "content": json.dumps(
            document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        ),
        "mimetype": "application/json",
    }


def access_request_answer(
    *, request: DataSubjectRequest, status: str, answer: str, by, attach_copy: bool
) -> DataSubjectRequest:
    """Close an access or portability request. With `attach_copy` the answer
    carries the copy of the person's data (GDPR art. 15(3), art. 20(1)), made as
    it is sent, and the export is logged like every staff export."""
    if not (attach_copy and request.email and request.kind in COPY_KINDS):
        return request_answer(request=request, status=status, answer=answer, by=by)
    copy = subject_export_file(email=request.email)
    with transaction.atomic():
        answered = request_answer(
            request=request, status=status, answer=answer, by=by, attachments=[copy]
        )
        access_audit_record(
            user=by,
            what=f"Innsyn sendt til personen (henvendelse #{request.pk})",
            rows=sum(request.processings.values()),
        )
    return answered


def erasure_request_handle(
    *, email: str, channel: DataSubjectRequest.Channel, by=None
) -> ErasureReport:
    """An erasure request from the person or from staff on their behalf: logged with
    the records it concerns, carried out, and the log's outcome says what went and
    what a legal obligation keeps. All or nothing."""
    with transaction.atomic():
        logged = request_record(
            kind=DataSubjectRequest.Kind.ERASURE,
            email=email,
            channel=channel,
            done=True,
            by=by,
        )
        report = subject_erase(email=email)
        logged.outcome = report.summary()
        logged.save(update_fields=["outcome"])
    return report


def subject_erasure_foreseen(
    *, email: str, now: datetime | None = None
) -> list[Consequence]:
    """What erasing this person's data would do beyond their records (seats
    released, people told, invoices to credit), as each handler foresees it: for
    the confirmation pages, before anything is done."""
    now = now or timezone.now()
    return [
        consequence
        for handler in registry.handlers
        if handler.foresee is not None
        for consequence in handler.foresee(email=email, now=now)
    ]


def subject_erase(
    *, email: str, now: datetime | None = None, journaled: bool = True
) -> ErasureReport:
    """Erasure (art. 17): delete or anonymise everything the declarations allow, at
    once; keep what a legal obligation still holds (art. 17(3)(b)) and say until
    when. Idempotent: a second run finds nothing left to erase.

    Written to the erasure journal first (`journaled`; off only when the journal
    itself is being replayed), so that restoring a backup cannot bring the person
    back.

    Handlers go first: one may lock rows of its own before it changes any (courses
    lock a course date before its bookings, as every seat change does), and
    nothing of the person's may be locked by this transaction before that, or a
    cancellation at the same moment could deadlock with it. All the other records
    are found before anything changes, because anonymising blanks the very fields
    the records are found by.
    """
    now = now or timezone.now()
    report = ErasureReport()
    with transaction.atomic():
        if journaled:
            journal_record(event=ERASURE, email=email)
        for handler in registry.handlers:
            report.add(handler.erase(email=email, now=now))
        found = [
            item
            for item in subject_records(email=email)
            if registry.handler_for(item.processing) is None
        ]
        held_pks = held_by_model(found)
        for item in found:
            processing = item.processing
            pks = [record["id"] for record in item.records]
            if item.held_until:
                report.kept[processing.purpose] = kept_until(
                    processing, item.held_until.values()
                )
            erased = apply_erasure(
                processing, pks=pks, held=held_pks.get(processing.model, set())
            )
            if erased:
                report.erased[processing.key] = erased
    logger.info(
        "event=subject_erased processings=%s kept=%s",
        len(report.erased),
        len(report.kept),
    )
    return report


def subject_erase_replay(*, key: str, source: str = "") -> int:
    """After a restore: erase again, through `subject_erase`, every address in
    the database whose keyed hash is `key` (the journal keeps no address)."""
    addresses = addresses_with_key(key)
    for address in addresses:
        subject_erase(email=address, journaled=False)
    return len(addresses)


def addresses_with_key(key: str) -> set[str]:
    """The addresses the declarations find records by whose `email_key` is `key`."""
    found = set()
    for processing in registry.processings:
        if processing.find.hashed:
            continue
        records = processing.find.records(processing.model)
        for field in processing.find.fields:
            for address in records.order_by().values_list(field, flat=True).distinct():
                if address and email_key(address) == key:
                    found.add(normalise_email(address))
    return found


def kept_until(processing: Processing, dates: Iterable[datetime | None]) -> str:
    """ "til 1. januar 2036" (each date once, earliest first), or the declared
    period where it has no end date ("til du melder deg på igjen")."""
    known = sorted({timezone.localdate(date) for date in dates if date is not None})
    if not known:
        return processing.retention.text
    return "til " + ", ".join(norwegian.day(date) for date in known)


def held_by_model(found: list[Found]) -> dict[type[Model], set[int]]:
    held: dict[type[Model], set[int]] = {}
    for item in found:
        held.setdefault(item.processing.model, set()).update(item.held_until)
    return held


def apply_erasure(processing: Processing, *, pks: list[int], held: set[int]) -> int:
    """Erase `pks` as the processing declares. A held record is never deleted; an
    anonymising erasure still blanks the fields the hold does not need."""
    manager = processing.model._default_manager
    if processing.erasure.action == ErasureAction.ANONYMISE:
        not_yet_blank = manager.filter(pk__in=pks).exclude(
            **processing.erasure.replacements
        )
        return erase(processing, not_yet_blank)
    deletable = [pk for pk in pks if pk not in held]
    if not deletable:
        return 0
    return erase(processing, manager.filter(pk__in=deletable))


def subject_restrict(*, email: str) -> None:
    """Restriction (art. 18): keep the data, use it for nothing. The outbox holds
    back mail to the address, and each app that uses it is told (the newsletter
    skips it)."""
    with transaction.atomic():
        Restriction.objects.get_or_create(email_key=email_key(email))
        restriction_changed(email=email, restricted=True)


def subject_lift_restriction(*, email: str) -> None:
    with transaction.atomic():
        Restriction.objects.filter(email_key=email_key(email)).delete()
        restriction_changed(email=email, restricted=False)


def mail_to_restricted_address(*, email) -> bool:
    """Mail to an address under restriction (GDPR art. 18) is held back, except the
    mail that lets the person exercise their rights."""
    return not email.kind.startswith("privacy.rights") and is_restricted(email.to)


def is_restricted(email: str) -> bool:
    return Restriction.objects.filter(email_key=email_key(email)).exists()


def subject_object_to_marketing(*, email: str) -> None:
    """Objection to direct marketing (art. 21(2)-(3)) is absolute: every app that
    markets is told (the newsletter unsubscribes and suppresses the address,
    whether or not it is subscribed)."""
    marketing_objected(email=email)


def request_record(
    *,
    kind: DataSubjectRequest.Kind,
    email: str,
    channel: DataSubjectRequest.Channel,
    done: bool,
    details: str = "",
    outcome: str = "",
    record: tuple[str, int] | None = None,
    by=None,
) -> DataSubjectRequest:
    """Log a request: what, when, for which processings, by whom; never the data.

    A request that waits for a person (`done=False`) keeps the address until it is
    answered, and Personvern is told by mail; `record` is the (declaration key,
    number) of the record a correction names.
    """
    now = timezone.now()
    counts = {
        found.processing.key: len(found.records)
        for found in subject_records(email=email)
    }
    record_processing, record_id = record or ("", None)
    with transaction.atomic():
        logged = DataSubjectRequest.objects.create(
            kind=kind,
            channel=channel,
            subject_key=email_key(email),
            email="" if done else normalise_email(email),
            processings=counts,
            details=details,
            record_processing=record_processing,
            record_id=record_id,
            outcome=outcome,
            received_at=now,
            due_at=one_month_after(now),
            status=DataSubjectRequest.Status.DONE
            if done
            else DataSubjectRequest.Status.OPEN,
            handled_at=now if done else None,
            handled_by=by,
        )
        if not done:
            request_notify(request=logged)
    return logged


def one_month_after(moment: datetime) -> datetime:
    """GDPR art. 12(3): answer within one month; the 31st becomes the month's end."""
    year, month = (
        (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    )
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


VERIFY_SALT = "privacy.rights.verify"
VERIFY_MAX_AGE = timedelta(hours=1)
# A link older than this gets no new one (its row is gone by then anyway).
RENEW_MAX_AGE = timedelta(days=1)
SESSION_KEY = "privacy_subject"
SESSION_DURATION = timedelta(minutes=30)


def verification_request(*, email: str) -> None:
    """Send a link that proves control of the address (valid one hour).

    Known and unknown addresses take the same path and the same time, and the
    page says the same either way; an unknown address is told by mail that we
    hold nothing about it.
    """
    email = normalise_email(email)
    known = bool(subject_records(email=email))
    with transaction.atomic():
        verification = EmailVerification.objects.create(email=email)
        token = signing.dumps(
            {"v": verification.pk, "k": link_binding(verification)}, salt=VERIFY_SALT
        )
        url = settings.SITE_URL + reverse("privacy:rights_verify", args=[token])
        email_queue(
            kind="privacy.rights.verify" if known else "privacy.rights.unknown",
            to=email,
            template=f"privacy/email/rights_{'verify' if known else 'unknown'}",
            context={"verify_url": url},
        )
    logger.info("event=rights_verification_requested id=%s", verification.pk)


class LinkState(enum.Enum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclasses.dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    verification: EmailVerification | None = None


def link_binding(verification: EmailVerification) -> str:
    """Ties a link to its row and address, differently for every link: the token's
    payload is readable, and must not tell that two links went to one address."""
    return salted_hmac(
        VERIFY_SALT, f"{verification.pk}:{verification.email}", algorithm="sha256"
    ).hexdigest()[:16]


def verification_link_check(token: str) -> LinkCheck:
    """What a link is, without using it: valid, used, expired or not ours."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
        expired = False
    except signing.SignatureExpired:
        data, expired = signing.loads(token, salt=VERIFY_SALT), True
    except signing.BadSignature:
        return LinkCheck(LinkState.INVALID)
    try:
        verification = EmailVerification.objects.get(pk=data["v"])
    except (EmailVerification.DoesNotExist, KeyError, TypeError):
        return LinkCheck(LinkState.INVALID)
    if not constant_time_compare(link_binding(verification), str(data.get("k"))):
        return LinkCheck(LinkState.INVALID)
    if verification.used_at is not None:
        return LinkCheck(LinkState.USED, verification)
    if expired:
        return LinkCheck(LinkState.EXPIRED, verification)
    return LinkCheck(LinkState.VALID, verification)


def verification_use(token: str) -> str | None:
    """Use a valid link, once: the address it was sent to, or None. Claimed with one
    conditional UPDATE, so two requests with the same link never both get in."""
    check = verification_link_check(token)
    if check.state is not LinkState.VALID:
        return None
    claimed = EmailVerification.objects.filter(
        pk=check.verification.pk, used_at=None
    ).update(used_at=timezone.now())
    return check.verification.email if claimed else None


def verification_renew(token: str) -> None:
    """A new link to the address an old link (used or expired) was sent to. The
    visitor never sees the address; the link goes to its owner's inbox."""
    try:
        signing.loads(token, salt=VERIFY_SALT, max_age=RENEW_MAX_AGE)
    except signing.BadSignature:
        return
    check = verification_link_check(token)
    if check.state in (LinkState.USED, LinkState.EXPIRED):
        verification_request(email=check.verification.email)


def session_start(request, *, email: str) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "email": email,
        "until": (timezone.now() + SESSION_DURATION).isoformat(),
    }
    request.session.set_expiry(int(SESSION_DURATION.total_seconds()))


def session_email(request) -> str | None:
    """The verified address of this visitor's rights session, while it lasts."""
    data = request.session.get(SESSION_KEY)
    if not data or datetime.fromisoformat(data["until"]) < timezone.now():
        return None
    return data["email"]


def session_end(request) -> None:
    request.session.pop(SESSION_KEY, None)
