"""Running a course date from its admin page: what Kurs does for one booking or one
participant (resend the confirmation, move to another date, swap for a colleague),
the check-in on the day, and mail to the date's participants.

Every operation that moves seats locks the dates first, lowest id first, as the
other seat operations in `courses.services` do, and counts seats after the lock.
"""

import dataclasses
import logging
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from courses.customers import customer_recheck
from courses.models import Booking, CourseDate, CourseDateMessage, Participant
from courses.selectors import (
    MESSAGE_MAIL_PREFIX,
    confirmed_participant_addresses,
    confirmed_participants,
    confirmed_seats,
)
from courses.services import (
    BookingError,
    NotEnoughSeats,
    ParticipantDetails,
    booking_context,
    booking_mail_regarding,
    lock_course_date,
    queue_booking_mail,
    queue_participant_notices,
    waitlist_promote,
)
from outbox.services import email_queue, mail_kinds_named
from privacy.services.rights import is_restricted

logger = logging.getLogger(__name__)

mail_kinds_named(
    {
        "courses_booking_moved": "Påmelding flyttet til en annen dato",
        "courses_participant_moved": "Deltaker flyttet til en annen dato",
        "courses_participant_message": "E-post til deltakerne",
    }
)

Status = Booking.Status


@dataclasses.dataclass(frozen=True)
class Resent:
    """A confirmation queued again: to whom, and whether the outbox will hold it
    back (an address under restriction, GDPR art. 18)."""

    booking: Booking
    held_back: bool


def booking_confirmation_resend(*, booking_id: int, by: AbstractBaseUser) -> Resent:
    """Staff: queue the sign-up's mail again to the booking's contact: the
    confirmation (with the calendar file) or, on the waitlist, the waitlist mail.
    The cancellation link in it is the same signed link as before: it works until
    the deadline however often it is sent."""
    with transaction.atomic():
        booking = Booking.objects.select_related("course_date__course").get(
            pk=booking_id
        )
        if booking.status == Status.CANCELLED:
            raise BookingError("Påmeldingen er avbestilt; det er ingen bekreftelse.")
        if not booking.email:
            raise BookingError(
                "Påmeldingen er anonymisert; det er ingen adresse å sende til."
            )
        if booking.awaiting_answer:  # the offer again, its link until its deadline
            queue_booking_mail(booking, template="booking_offered")
        elif booking.status == Status.CONFIRMED:
            queue_booking_mail(booking, template="booking_confirmed", calendar=True)
        else:
            queue_booking_mail(booking, template="booking_waitlisted")
    logger.info("event=booking_confirmation_resent id=%s by=%s", booking.pk, by.pk)
    return Resent(booking, held_back=is_restricted(booking.email))


@dataclasses.dataclass(frozen=True)
class Move:
    """What moving did: the booking now on the new date (the same booking, or a
    new one for a participant moved out of theirs), the bookings on the old date
    that got the seats freed, and the mails queued."""

    booking: Booking
    split_from: Booking | None
    promoted: list[Booking]
    mails: int


def booking_move(
    *,
    booking_id: int,
    to_date_id: int,
    by: AbstractBaseUser,
    participant_id: int | None = None,
    now: datetime | None = None,
) -> Move:
    """Staff: move a booking, or one participant of it (`participant_id`), to
    another date of the same course, confirmed there, or nothing if the seats are
    not free. Seats freed on the old date go to its waitlist at once. The contact
    gets the booking as it now stands, with a new calendar file; a participant who
    is not the contact is told too.

    One participant moves out of their booking into a booking of their own, with
    the same contact and invoice details and the price the booking was made at.
    An invoiced booking moves only whole: its invoice is for all its participants.
    """
    now = now or timezone.now()
    with transaction.atomic():
        from_date_id = Booking.objects.values_list("course_date_id", flat=True).get(
            pk=booking_id
        )
        locked = {pk: lock_course_date(pk) for pk in sorted({from_date_id, to_date_id})}
        from_date, to_date = locked[from_date_id], locked[to_date_id]
        booking = Booking.objects.select_related("course_date__course").get(
            pk=booking_id
        )
        participant = (
            booking.participants.get(pk=participant_id) if participant_id else None
        )
        if participant and booking.seats == 1:
            participant = None  # the only participant: the whole booking moves
        check_move(booking, from_date, to_date, partly=participant is not None, now=now)
        seats = 1 if participant else booking.seats
        seats_left = to_date.capacity - confirmed_seats(course_date=to_date)
        if seats > seats_left:
            raise NotEnoughSeats(seats_left=max(seats_left, 0), seats_wanted=seats)
        if participant:
            moved, split_from = split_off(booking, participant, to_date, now=now)
        else:
            moved, split_from = move_whole(booking, to_date, now=now), None
        mails = queue_move_mails(moved, only=participant)
        promoted = waitlist_promote(course_date=from_date, now=now)
        # An invoiced booking is a purchase: the soft opt-in counts from its
        # course's end (markedsføringsloven § 15), which has just moved.
        customer_recheck(email=moved.email, now=now)
    logger.info(
        "event=booking_moved id=%s from=%s to=%s seats=%s promoted=%s by=%s",
        moved.pk,
        from_date.pk,
        to_date.pk,
        seats,
        len(promoted),
        by.pk,
    )
    return Move(moved, split_from, promoted, mails + len(promoted))


def check_move(
    booking: Booking,
    from_date: CourseDate,
    to_date: CourseDate,
    *,
    partly: bool,
    now: datetime,
) -> None:
    if booking.status == Status.CANCELLED:
        raise BookingError("Påmeldingen er avbestilt.")
    if booking.awaiting_answer or not booking.has_invoice_details:
        # It would be confirmed on the new date without anyone to invoice.
        raise BookingError(
            "Påmeldingen har ingen fakturaopplysninger ennå (den venter på svar på "
            "et tilbud om plass, eller står på ventelisten uten dem). Den kan "
            "flyttes når kunden har bekreftet plassen."
        )
    if to_date.pk == from_date.pk:
        raise BookingError("Velg en annen dato enn den påmeldingen har.")
    if to_date.course_id != from_date.course_id:
        raise BookingError("Påmeldingen kan bare flyttes til en dato for samme kurs.")
    if to_date.is_cancelled:
        raise BookingError("Den nye datoen er avlyst.")
    if to_date.starts_at <= now:
        raise BookingError("Den nye datoen har allerede startet.")
    if partly and booking.invoiced_at:
        raise BookingError(
            f"Påmelding {booking.pk} er fakturert for alle deltakerne samlet. Flytt "
            "hele påmeldingen, eller bytt deltakeren med en kollega."
        )


def move_whole(booking: Booking, to_date: CourseDate, *, now: datetime) -> Booking:
    if booking.status == Status.WAITLISTED:
        booking.confirmed_at = now
    booking.course_date = to_date
    booking.status = Status.CONFIRMED
    booking.save(update_fields=["course_date", "status", "confirmed_at"])
    return booking


# What a participant's booking of their own does not take over from the booking
# they leave; everything else (contact, invoicing, price) it keeps.
NOT_SPLIT_OFF = {
    "id",
    "course_date",
    "status",
    "seats",
    "created_at",
    "confirmed_at",
    "submission_key",
}


def split_off(
    booking: Booking, participant: Participant, to_date: CourseDate, *, now: datetime
) -> tuple[Booking, Booking]:
    """A booking of its own on `to_date` for one participant of `booking`."""
    kept = {
        field.attname: getattr(booking, field.attname)
        for field in Booking._meta.concrete_fields
        if field.name not in NOT_SPLIT_OFF
    }
    moved = Booking.objects.create(
        **kept,
        course_date=to_date,
        status=Status.CONFIRMED,
        seats=1,
        created_at=now,
        confirmed_at=booking.confirmed_at or now,
    )
    participant.booking = moved
    participant.save(update_fields=["booking"])
    booking.seats -= 1
    booking.save(update_fields=["seats"])
    return moved, booking


def queue_move_mails(booking: Booking, *, only: Participant | None) -> int:
    """The contact gets the booking on its new date; each participant who is not
    the contact (or just `only`) is told where and when they now go."""
    queued = 0
    if booking.email:
        queue_booking_mail(booking, template="booking_moved", calendar=True)
        queued += 1
    context = booking_context(booking)
    participants = [only] if only else list(booking.participants.all())
    for participant in participants:
        if participant.email and participant.email != booking.email:
            email_queue(
                kind="courses_participant_moved",
                to=participant.email,
                template="courses/email/participant_moved",
                context=context,
                regarding=booking_mail_regarding(booking.pk),
            )
            queued += 1
    return queued


@dataclasses.dataclass(frozen=True)
class Replacement:
    participant: Participant
    notified: bool  # the colleague was mailed (GDPR art. 14)


def participant_replace(
    *, participant_id: int, details: ParticipantDetails, by: AbstractBaseUser
) -> Replacement:
    """Staff: a colleague takes a participant's place on the same booking. The
    row gets the colleague's name and address and nothing of the person before
    (nor their check-in); the colleague is told, as every participant someone
    else signs up is (GDPR art. 14), unless they are the booking's contact."""
    with transaction.atomic():
        participant = Participant.objects.select_related(
            "booking__course_date__course"
        ).get(pk=participant_id)
        booking = participant.booking
        if booking.status == Status.CANCELLED:
            raise BookingError("Påmeldingen er avbestilt.")
        participant.first_name = details.first_name
        participant.last_name = details.last_name
        participant.email = details.email
        participant.arrived_at = None
        participant.save(
            update_fields=["first_name", "last_name", "email", "arrived_at"]
        )
        notified = queue_participant_notices(booking, only=participant)
    logger.info(
        "event=participant_replaced id=%s booking=%s by=%s",
        participant.pk,
        booking.pk,
        by.pk,
    )
    return Replacement(participant, notified=bool(notified))


def participant_arrival_set(
    *,
    participant_id: int,
    course_date_id: int,
    arrived: bool,
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> Participant:
    """Staff at the door: mark a confirmed participant of this date as arrived,
    or undo it. Marking twice keeps the first time."""
    now = now or timezone.now()
    participant = confirmed_participants(course_date=course_date_id).get(
        pk=participant_id
    )
    if arrived and participant.arrived_at is None:
        participant.arrived_at = now
    elif not arrived:
        participant.arrived_at = None
    participant.save(update_fields=["arrived_at"])
    logger.info(
        "event=participant_arrival id=%s arrived=%s by=%s",
        participant.pk,
        arrived,
        by.pk,
    )
    return participant


def course_date_message_send(
    *,
    course_date_id: int,
    subject: str,
    body: str,
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> CourseDateMessage:
    """Staff: one mail to each confirmed participant's address on the date (an
    address once, however many bookings it is on), through the outbox, logged
    with who sent it, when and to how many. Mail to an address under restriction
    is queued and held back by the outbox (GDPR art. 18), and counted so."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date = CourseDate.objects.select_related("course").get(pk=course_date_id)
        addresses = confirmed_participant_addresses(course_date=course_date)
        if not addresses:
            raise BookingError("Kursdatoen har ingen bekreftede deltakere å sende til.")
        message = CourseDateMessage.objects.create(
            course_date=course_date,
            subject=subject,
            body=body,
            sent_by=by,
            sent_at=now,
            recipients=len(addresses),
            held_back=sum(1 for address in addresses if is_restricted(address)),
        )
        for address in addresses:
            email_queue(
                kind="courses_participant_message",
                to=address,
                **participant_message(message),
            )
    logger.info(
        "event=course_date_message_sent id=%s course_date=%s recipients=%s by=%s",
        message.pk,
        course_date.pk,
        message.recipients,
        by.pk,
    )
    return message


def participant_message(message: CourseDateMessage) -> dict:
    """The mail's template, context and `regarding`, for sending and preview."""
    course_date = message.course_date
    return {
        "template": "courses/email/participant_message",
        "context": {
            "message": message,
            "course_date": course_date,
            "course": course_date.course,
        },
        "regarding": message_regarding(message),
    }


def message_regarding(message: CourseDateMessage) -> str:
    return f"{MESSAGE_MAIL_PREFIX}{message.pk}"
