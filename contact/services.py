"""Operations on inquiries. The contact form, admin actions and the admin change
form all call these, so the rules (timestamps, history notes, mail) live here."""

import logging

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from contact.models import Inquiry, InquiryNote
from core.submissions import submission_key
from newsletter.models import Subscriber
from newsletter.services import subscription_request
from outbox.services import email_queue, mail_kinds_named

logger = logging.getLogger(__name__)

mail_kinds_named(
    {
        "contact_receipt": "Kvittering for henvendelse",
        "contact_notification": "Varsel til ansatte om ny henvendelse",
    }
)

Status = Inquiry.Status


def inquiry_create(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    company: str,
    message: str,
    wants_newsletter: bool = False,
    form_key: str | None = None,
) -> Inquiry:
    """Save a visitor's inquiry and queue the receipt and staff notifications;
    start the newsletter's double opt-in if the visitor ticked the box.

    Expects cleaned input (`ContactForm`). One transaction: the inquiry and its
    mails are saved together or not at all; the mail worker sends them. The same
    form (`form_key`) sent again with the same content gives the inquiry saved the
    first time, and no more mail.
    """
    typed = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "company": company,
        "message": message,
    }
    submission = submission_key(
        form_key, {**typed, "wants_newsletter": wants_newsletter}
    )
    if previous := sent_before(submission):
        return previous
    try:
        with transaction.atomic():
            inquiry = Inquiry.objects.create(**typed, submission_key=submission)
            queue_inquiry_mail(inquiry)
            if wants_newsletter:
                subscription_request(
                    name=f"{first_name} {last_name}",
                    email=email,
                    source=Subscriber.Source.CONTACT_FORM,
                )
    except IntegrityError:
        # Sent twice at the same moment, and the other request saved it.
        if previous := sent_before(submission):
            return previous
        raise
    logger.info("event=inquiry_created id=%s", inquiry.pk)
    return inquiry


def sent_before(submission_key: str | None) -> Inquiry | None:
    if submission_key is None:
        return None
    return Inquiry.objects.filter(submission_key=submission_key).first()


def queue_inquiry_mail(inquiry: Inquiry) -> None:
    # The receipt repeats nothing the visitor typed: anyone can type someone
    # else's address, and the form must not become a way to send them text.
    email_queue(
        kind="contact_receipt",
        to=inquiry.email,
        template="contact/email/receipt",
        context={"inquiry": inquiry},
    )
    # Staff get a link, not the content: personal data stays in the database.
    admin_url = settings.SITE_URL + reverse(
        "admin:contact_inquiry_change", args=[inquiry.pk]
    )
    for address in settings.CONTACT_NOTIFY_EMAILS:
        email_queue(
            kind="contact_notification",
            to=address,
            template="contact/email/notification",
            context={"inquiry": inquiry, "admin_url": admin_url},
        )


def inquiry_note_add(
    *, inquiry: Inquiry, author: AbstractBaseUser | None, text: str
) -> InquiryNote:
    note = InquiryNote.objects.create(inquiry=inquiry, author=author, text=text)
    logger.info("event=inquiry_note_added id=%s note=%s", inquiry.pk, note.pk)
    return note


def inquiry_set_status(
    *, inquiry: Inquiry, status: Status, by: AbstractBaseUser
) -> Inquiry:
    """Change the status; closing stamps `closed_at` (retention counts from it),
    reopening clears it."""
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.status == status:
            return inquiry
        previous = Status(inquiry.status)
        inquiry.status = status
        inquiry.closed_at = timezone.now() if status == Status.CLOSED else None
        inquiry.save(update_fields=["status", "closed_at", "updated_at"])
        inquiry_note_add(
            inquiry=inquiry,
            author=by,
            text=f"Status endret fra «{previous.label}» til «{status.label}».",
        )
    logger.info("event=inquiry_status id=%s status=%s", inquiry.pk, status.value)
    return inquiry


def inquiry_mark_answered(*, inquiry: Inquiry, by: AbstractBaseUser) -> Inquiry:
    return inquiry_set_status(inquiry=inquiry, status=Status.ANSWERED, by=by)


def inquiry_close(*, inquiry: Inquiry, by: AbstractBaseUser) -> Inquiry:
    return inquiry_set_status(inquiry=inquiry, status=Status.CLOSED, by=by)


def inquiry_assign(
    *, inquiry: Inquiry, to: AbstractBaseUser | None, by: AbstractBaseUser
) -> Inquiry:
    """Give the inquiry to a staff member (or nobody). A new inquiry that gets an
    assignee is "under arbeid" from then on."""
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.assigned_to_id == (to.pk if to else None):
            return inquiry
        inquiry.assigned_to = to
        inquiry.save(update_fields=["assigned_to", "updated_at"])
        who = display_name(to) if to else "ingen"
        inquiry_note_add(inquiry=inquiry, author=by, text=f"Tildelt {who}.")
        if to is not None and inquiry.status == Status.NEW:
            inquiry = inquiry_set_status(
                inquiry=inquiry, status=Status.IN_PROGRESS, by=by
            )
    logger.info("event=inquiry_assigned id=%s to=%s", inquiry.pk, to and to.pk)
    return inquiry


def inquiry_supplement_orgnr(
    *, inquiry: Inquiry, orgnr: str, by: AbstractBaseUser
) -> Inquiry:
    """Record an organisation number staff looked up in Enhetsregisteret, and who
    did it (personvernerklæringen punkt 3: supplemented with public information).

    `orgnr` must already be validated (`core.validators.clean_orgnr`), or
    be empty to remove it.
    """
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.orgnr == orgnr:
            return inquiry
        inquiry.orgnr = orgnr
        inquiry.orgnr_added_by = by if orgnr else None
        inquiry.orgnr_added_at = timezone.now() if orgnr else None
        inquiry.save(
            update_fields=["orgnr", "orgnr_added_by", "orgnr_added_at", "updated_at"]
        )
        text = (
            f"Organisasjonsnummer {orgnr} supplert fra Enhetsregisteret."
            if orgnr
            else "Organisasjonsnummeret er fjernet."
        )
        inquiry_note_add(inquiry=inquiry, author=by, text=text)
    logger.info("event=inquiry_orgnr id=%s", inquiry.pk)
    return inquiry


def inquiry_rectify(
    *, inquiry: Inquiry, changes: dict[str, str], reason: str, by: AbstractBaseUser
) -> Inquiry:
    """Correct what the visitor typed, on the visitor's request (GDPR art. 16).

    `changes` holds cleaned values for visitor fields. The history note names
    the corrected fields but not the old values: keeping those would undo the
    correction.
    """
    with transaction.atomic():
        inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
        changed = [
            name for name, value in changes.items() if getattr(inquiry, name) != value
        ]
        if not changed:
            return inquiry
        for name in changed:
            setattr(inquiry, name, changes[name])
        inquiry.save(update_fields=[*changed, "updated_at"])
        labels = ", ".join(
            str(Inquiry._meta.get_field(name).verbose_name) for name in changed
        )
        inquiry_note_add(
            inquiry=inquiry,
            author=by,
            text=f"Rettet på forespørsel: {labels}. {reason}",
        )
    logger.info("event=inquiry_rectified id=%s fields=%s", inquiry.pk, len(changed))
    return inquiry


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()
