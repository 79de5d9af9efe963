"""Handling a data-subject request after it has arrived (GDPR art. 12): telling
Personvern, finding the records it concerns, correcting one (art. 16) and closing it
with an answer to the person.

Generic over the declarations, like rights.py: nothing here knows which app a
record belongs to.
"""

import dataclasses
import logging

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from core import norwegian
from core.validators import normalise_email
from outbox.services import email_queue, mail_kinds_named
from privacy.models import DataSubjectRequest
from privacy.registry import Processing, registry

logger = logging.getLogger(__name__)

# The staff group that answers requests (privacy/migrations/0004_personvern_group.py).
PERSONVERN_GROUP = "Personvern"

mail_kinds_named(
    {
        "privacy.request_notification": "Ny henvendelse om personvern (til Personvern)",
        # "privacy.rights…": also sent to an address under restriction, since it
        # answers the person's own request (rights.mail_to_restricted_address).
        "privacy.rights.answer": "Svar på krav etter personvernreglene",
    }
)

Status = DataSubjectRequest.Status


def request_notify(*, request: DataSubjectRequest) -> None:
    """Tell Personvern that a request waits for a person: its kind, deadline and a
    link to it in admin, nothing of the person (the mail leaves the database).
    Call inside the transaction that saves the request."""
    admin_url = settings.SITE_URL + reverse(
        "admin:privacy_datasubjectrequest_change", args=[request.pk]
    )
    for address in notify_addresses():
        email_queue(
            kind="privacy.request_notification",
            to=address,
            template="privacy/email/request_notification",
            context={
                "request": request,
                "due": norwegian.day(timezone.localdate(request.due_at)),
                "admin_url": admin_url,
            },
        )


def notify_addresses() -> list[str]:
    """PRIVACY_NOTIFY_EMAILS when set (a shared mailbox), else the addresses of the
    Personvern group's active members."""
    if settings.PRIVACY_NOTIFY_EMAILS:
        return list(settings.PRIVACY_NOTIFY_EMAILS)
    members = User.objects.filter(groups__name=PERSONVERN_GROUP, is_active=True)
    return sorted(set(members.exclude(email="").values_list("email", flat=True)))


@dataclasses.dataclass(frozen=True)
class Concern:
    """One processing a request concerns, and its records (their numbers) while
    the request is open; a closed one has forgotten the address and keeps only
    how many there were."""

    processing: Processing
    count: int
    pks: tuple[int, ...] = ()
    named: int | None = None  # the record a correction names


def request_concerns(*, request: DataSubjectRequest) -> list[Concern]:
    """What the request is about, in declaration order: the processings it
    counted when it arrived, the person's records now (while it is open) and the
    record a correction names."""
    concerns = []
    for processing in registry.processings:
        pks: tuple[int, ...] = ()
        if request.email:
            pks = tuple(
                processing.records_for(request.email)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
        named = (
            request.record_id if request.record_processing == processing.key else None
        )
        count = (
            len(pks) if request.email else request.processings.get(processing.key, 0)
        )
        if count or named is not None:
            concerns.append(Concern(processing, count, pks, named))
    return concerns


def named_processing(request: DataSubjectRequest) -> Processing | None:
    try:
        return registry.processing(request.record_processing)
    except KeyError:
        return None


@dataclasses.dataclass(frozen=True)
class Correctable:
    """A field of the record a correction names, with its value now."""

    name: str
    label: str
    value: object


def request_named_record(*, request: DataSubjectRequest) -> models.Model | None:
    """The record a correction names, if it still exists and (while the address
    is known) is still the person's."""
    processing = named_processing(request)
    if processing is None or request.record_id is None:
        return None
    if request.email:
        rows = processing.records_for(request.email)
    else:
        rows = processing.find.records(processing.model)
    return rows.filter(pk=request.record_id).first()


def request_correctable(*, request: DataSubjectRequest) -> list[Correctable]:
    """The fields Personvern may correct for this request, with their values; none
    when the request is closed or its record allows no correction here."""
    processing = named_processing(request)
    record = request_named_record(request=request)
    if request.status != Status.OPEN or processing is None or record is None:
        return []
    meta = processing.model._meta
    return [
        Correctable(
            name,
            str(meta.get_field(name).verbose_name).capitalize(),
            getattr(record, name),
        )
        for name in processing.correctable
    ]


def record_owners(*, model: type[models.Model]) -> list[str]:
    """The staff groups that may change `model`'s records: where a correction goes
    when Personvern may not make it."""
    content_type = ContentType.objects.get_for_model(model)
    return list(
        Group.objects.filter(
            permissions__content_type=content_type,
            permissions__codename=f"change_{content_type.model}",
        )
        .order_by("name")
        .values_list("name", flat=True)
    )


def request_correct(
    *, request: DataSubjectRequest, field: str, value: str, by: User
) -> DataSubjectRequest:
    """Correct one field of the record a rectification names (GDPR art. 16), as
    its declaration allows, validated as the field is; the request's outcome says
    which field was corrected, not to what. Raises ValidationError."""
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        allowed = {item.name: item for item in request_correctable(request=request)}
        if field not in allowed:
            raise ValidationError("Dette feltet kan ikke rettes her.")
        record = request_named_record(request=request)
        record_field = record._meta.get_field(field)
        cleaned = record_field.clean(record_field.formfield().clean(value), record)
        if isinstance(record_field, models.EmailField) and cleaned:
            cleaned = normalise_email(cleaned)
        setattr(record, field, cleaned)
        record.save(update_fields=[field])
        processing = named_processing(request)
        done = (
            f"Rettet «{allowed[field].label}» i nr. {record.pk} ({processing.purpose})."
        )
        request.outcome = f"{request.outcome}\n{done}".strip()
        request.save(update_fields=["outcome"])
    logger.info(
        "event=request_corrected id=%s processing=%s record=%s field=%s by=%s",
        request.pk,
        processing.key,
        record.pk,
        field,
        by.pk,
    )
    return request


def request_answer(
    *,
    request: DataSubjectRequest,
    status: str,
    answer: str,
    by: User,
    attachments: list[dict] = (),
) -> DataSubjectRequest:
    """Close a request with an answer mailed to the person (GDPR art. 12(3)-(4)),
    then forget their address: only its keyed hash stays. Raises ValidationError
    for a request already closed or an empty answer."""
    answer = answer.strip()
    if status not in (Status.DONE, Status.REJECTED):
        raise ValidationError("Velg om kravet er utført eller avslått.")
    if not answer:
        raise ValidationError("Skriv svaret til personen.")
    with transaction.atomic():
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != Status.OPEN:
            raise ValidationError("Henvendelsen er allerede lukket.")
        request.status = status
        request.answer = answer
        request.handled_at = timezone.now()
        request.handled_by = by
        if request.email:
            email_queue(
                kind="privacy.rights.answer",
                to=request.email,
                template="privacy/email/request_answer",
                context={
                    "request": request,
                    "received": norwegian.day(timezone.localdate(request.received_at)),
                    "copy_attached": bool(attachments),
                },
                attachments=attachments,
            )
        request.email = ""
        request.save(
            update_fields=["status", "answer", "handled_at", "handled_by", "email"]
        )
    logger.info("event=request_answered id=%s status=%s", request.pk, status)
    return request
