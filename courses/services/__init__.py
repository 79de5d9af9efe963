"""Operations on bookings and course dates. The sign-up form, the cancellation link,
admin actions and the demo content all call these, so the capacity rule lives here
and nowhere else.

Capacity is never exceeded: every operation that takes or frees seats first locks
the course date's row (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the
IMMEDIATE transaction takes the database's write lock), then counts the confirmed
seats and acts, all in one transaction. Concurrent sign-ups for the same date
therefore queue behind each other, whichever gunicorn process they run in.
"""

import dataclasses
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core.jobs import job_succeeded
from core.norwegian import count, moment
from core.submissions import submission_key
from courses.calendar import course_date_ics
from courses.customers import customer_recheck, customers_record
from courses.models import PARTICIPANTS_PROCESSING, Booking, CourseDate, Participant
from courses.selectors import bookings_active_upcoming, confirmed_seats
from outbox.services import email_queue, mail_kinds_named
from privacy.registry import registry

logger = logging.getLogger(__name__)

mail_kinds_named(
    {
        "courses_booking_confirmed": "Bekreftet påmelding",
        "courses_booking_waitlisted": "Satt på venteliste",
        "courses_booking_promoted": "Fått plass fra ventelisten",
        "courses_booking_offered": "Tilbudt plass fra ventelisten",
        "courses_booking_offer_expired": "Tilbud om plass ikke besvart",
        "courses_booking_cancelled": "Avbestilt påmelding",
        "courses_course_date_cancelled": "Kursdato avlyst",
        "courses_participant_notice": "Melding til deltaker som ble meldt på",
        "courses_participant_withdrawn": "Deltaker har ikke lenger plass",
    }
)

Status = Booking.Status
CANCEL_LINK_SALT = "courses.booking.cancel"
OFFER_LINK_SALT = "courses.booking.offer"


class BookingError(Exception):
    """An operation the rules do not allow; `message` is for the visitor or staff."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SignupClosed(BookingError):
    pass


class NotEnoughSeats(BookingError):
    def __init__(self, *, seats_left: int, seats_wanted: int):
        self.seats_left = seats_left
        self.seats_wanted = seats_wanted
        if seats_left == 0:
            message = "Kurset er fullt."
        else:
            message = (
                f"Det er bare {seats_phrase(seats_left)} igjen, og påmeldingen har "
                f"{participants_phrase(seats_wanted)}."
            )
        super().__init__(message)


class CancellationClosed(BookingError):
    pass


class OfferClosed(BookingError):
    """The seat offered is no longer there to confirm: answered already, expired,
    or cancelled."""


@dataclasses.dataclass(frozen=True)
class ParticipantDetails:
    first_name: str
    last_name: str
    email: str  # normalised


@dataclasses.dataclass(frozen=True)
class InvoiceDetails:
    """Cleaned invoicing input (courses.forms.InvoiceForm.invoice_details()): with
    the sign-up, or when a seat from the waitlist is confirmed."""

    invoice_name: str
    orgnr: str
    invoice_street: str
    invoice_postcode: str
    invoice_place: str
    invoice_method: str
    invoice_email: str  # normalised
    your_reference: str


@dataclasses.dataclass(frozen=True)
class SignupDetails:
    """Cleaned sign-up input (courses.forms.SignupForm.signup_details())."""

    first_name: str
    last_name: str
    email: str  # normalised
    company: str
    invoice: InvoiceDetails  # all blank on the waitlist's form, which asks for none
    newsletter_declined: bool
    newsletter_notice_version: str
    participants: tuple[ParticipantDetails, ...]

    @property
    def has_invoice_details(self) -> bool:
        """False when the visitor joined the waitlist, which asks for none."""
        return bool(self.invoice.invoice_name)

    def booking_fields(self) -> dict:
        """The booking's own fields: the contact's, the invoice's, the newsletter's."""
        return {
            **{
                field.name: getattr(self, field.name)
                for field in dataclasses.fields(self)
                if field.name not in ("invoice", "participants")
            },
            **dataclasses.asdict(self.invoice),
        }


def booking_create(
    *,
    course_date_id: int,
    details: SignupDetails,
    join_waitlist: bool,
    now: datetime | None = None,
    form_key: str | None = None,
    by: AbstractBaseUser | None = None,
    confirmation_mail: bool = True,
) -> Booking:
    """Sign up all of `details.participants` for a date, or none of them.

    Confirmed when there are seats for every participant. Otherwise the booking
    goes on the waitlist as a whole if the visitor chose that (`join_waitlist`),
    or `NotEnoughSeats` says how many seats are left and nothing is saved. The
    same form (`form_key`) sent again with the same content gives the booking
    saved the first time, and no more seats or mail.

    Staff taking a booking by phone (`by`) may book after the sign-up deadline,
    until the course starts, and may leave out the mail to the contact
    (`confirmation_mail`); the other participants are told all the same.
    """
    now = now or timezone.now()
    seats = len(details.participants)
    if seats < 1:
        raise BookingError("Påmeldingen må ha minst én deltaker.")
    submission = submission_key(
        form_key,
        {
            "date": course_date_id,
            "waitlist": join_waitlist,
            **dataclasses.asdict(details),
        },
    )
    with transaction.atomic():
        course_date = lock_course_date(course_date_id)
        # After the lock: the same form sent twice at once waits here for the first.
        if submission and (
            previous := Booking.objects.filter(submission_key=submission).first()
        ):
            return previous
        if not signup_open(course_date, by=by, now=now):
            if by is None or course_date.is_cancelled:
                raise SignupClosed(signup_closed_message(course_date))
            raise SignupClosed("Kurset har allerede startet.")
        # Seats held for offers nobody answered go to the waitlist before anyone new.
        release_expired_on(course_date, now=now)
        seats_left = course_date.capacity - confirmed_seats(course_date=course_date)
        if seats <= seats_left:
            status = Status.CONFIRMED
        elif join_waitlist:
            status = Status.WAITLISTED
        else:
            raise NotEnoughSeats(seats_left=max(seats_left, 0), seats_wanted=seats)
        course = course_date.course
        # A seat for a sign-up without invoicing details (the waitlist form, sent
        # as a seat came free) is an offer, held while the visitor gives them.
        offered = status == Status.CONFIRMED and not details.has_invoice_details
        booking = Booking.objects.create(
            course_date=course_date,
            status=status,
            seats=seats,
            confirmed_at=now if status == Status.CONFIRMED and not offered else None,
            seat_offered_until=offer_deadline(course_date, now=now)
            if offered
            else None,
            created_at=now,
            unit_price=course.price,
            price_includes_vat=course.price_includes_vat,
            vat_rate=course.vat_rate,
            submission_key=submission,
            **details.booking_fields(),
        )
        Participant.objects.bulk_create(
            Participant(booking=booking, **dataclasses.asdict(participant))
            for participant in details.participants
        )
        if offered:  # the link to confirm the seat: always sent
            queue_booking_mail(booking, template="booking_offered")
        elif confirmation_mail and status == Status.CONFIRMED:
            queue_booking_mail(booking, template="booking_confirmed", calendar=True)
        elif confirmation_mail:
            queue_booking_mail(booking, template="booking_waitlisted")
        queue_participant_notices(booking)
    logger.info(
        "event=booking_created id=%s course_date=%s status=%s seats=%s by=%s",
        booking.pk,
        course_date.pk,
        status.value,
        seats,
        by.pk if by else "visitor",
    )
    return booking


def signup_open(
    course_date: CourseDate, *, by: AbstractBaseUser | None, now: datetime
) -> bool:
    """Visitors until the sign-up deadline; staff until the course starts."""
    if by is None:
        return course_date.signup_open(now)
    return not course_date.is_cancelled and now < course_date.starts_at


def booking_cancel(
    *,
    booking_id: int,
    by: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> Booking:
    """Cancel a booking; its seats go to the waitlist at once.

    `by=None` is the visitor with the link from the e-mail, bound by the date's
    cancellation deadline; staff (`by`) may cancel at any time. Cancelling twice
    changes nothing.
    """
    booking, _ = cancel_one(booking_id=booking_id, by=by, now=now or timezone.now())
    return booking


@dataclasses.dataclass(frozen=True)
class Cancellation:
    """What cancelling did, counted as it happened: the bookings cancelled, those
    left alone because they were cancelled already, the waitlisted bookings that
    got the seats freed, and the mails queued (one to each contact cancelled or
    moved up)."""

    cancelled: list[Booking]
    already_cancelled: int
    promoted: list[Booking]
    dates_cancelled: int = 0  # by `course_date_cancel`

    @property
    def mails(self) -> int:
        return len(self.cancelled) + len(self.promoted)


def bookings_cancel(
    *,
    booking_ids: Iterable[int],
    by: AbstractBaseUser,
    now: datetime | None = None,
) -> Cancellation:
    """Staff: cancel these bookings, each as `booking_cancel` does (its own
    transaction: one date locked at a time), oldest first."""
    now = now or timezone.now()
    cancelled, promoted, already = [], [], 0
    ids = Booking.objects.filter(pk__in=set(booking_ids)).order_by("created_at", "pk")
    for booking_id in ids.values_list("pk", flat=True):
        booking, moved_up = cancel_one(booking_id=booking_id, by=by, now=now)
        if moved_up is None:
            already += 1
        else:
            cancelled.append(booking)
            promoted.extend(moved_up)
    return Cancellation(cancelled, already, promoted)


def cancel_one(
    *, booking_id: int, by: AbstractBaseUser | None, now: datetime
) -> tuple[Booking, list[Booking] | None]:
    """Cancel one booking: it, and the bookings moved up into its seats (`None`
    when it was cancelled already)."""
    with transaction.atomic():
        course_date_id = Booking.objects.values_list("course_date_id", flat=True).get(
            pk=booking_id
        )
        course_date = lock_course_date(course_date_id)
        booking = Booking.objects.select_related("course_date__course").get(
            pk=booking_id
        )
        if booking.status == Status.CANCELLED:
            return booking, None
        if by is None and not course_date.cancellation_open(now):
            raise CancellationClosed(
                "Fristen for å avbestille gikk ut "
                f"{moment(course_date.cancellation_closes_at)}. Ta kontakt "
                f"med oss på {settings.BUSINESS_EMAIL} hvis du ikke kan komme."
            )
        seats_freed = booking.status == Status.CONFIRMED
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.seat_offered_until = None
        # The same form sent again after this is a new sign-up, not this booking.
        booking.submission_key = None
        booking.save(
            update_fields=[
                "status",
                "cancelled_at",
                "seat_offered_until",
                "submission_key",
            ]
        )
        queue_booking_mail(booking, template="booking_cancelled")
        promoted = []
        if seats_freed:
            promoted = waitlist_promote(course_date=course_date, now=now)
        customer_recheck(email=booking.email, now=now)
    logger.info(
        "event=booking_cancelled id=%s by=%s", booking.pk, "staff" if by else "visitor"
    )
    return booking, promoted


def waitlist_promote(*, course_date: CourseDate, now: datetime) -> list[Booking]:
    """Move waitlisted bookings up, first come first served, each one whole.

    A booking too large for the free seats keeps its place, and a later, smaller
    one that fits goes ahead of it. The caller holds the date's lock.
    """
    if course_date.is_cancelled or course_date.starts_at <= now:
        return []
    seats_left = course_date.capacity - confirmed_seats(course_date=course_date)
    promoted = []
    waitlist = Booking.objects.filter(
        course_date=course_date, status=Status.WAITLISTED
    ).order_by("created_at", "pk")
    for booking in waitlist:
        if seats_left <= 0:
            break
        if booking.seats <= seats_left:
            confirm_waitlisted(booking, now=now)
            seats_left -= booking.seats
            promoted.append(booking)
    return promoted


def course_date_fill_from_waitlist(
    *, course_date_id: int, now: datetime | None = None
) -> list[Booking]:
    """After staff add seats to a date: give them to the waitlist at once."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date = lock_course_date(course_date_id)
        promoted = waitlist_promote(course_date=course_date, now=now)
    return promoted


def bookings_delete(bookings: QuerySet[Booking], *, now: datetime | None = None) -> int:
    """Delete bookings, participants with them, for retention: how many bookings
    went (`bookings_withdraw`)."""
    return bookings_withdraw(delete=bookings, now=now).deleted


@dataclasses.dataclass(frozen=True)
class Withdrawal:
    """What `bookings_withdraw` did."""

    deleted: int
    cancelled: list[Booking]  # kept for bookkeeping
    promoted: list[Booking]  # from the waitlist, into the seats freed


def bookings_withdraw(
    *,
    delete: QuerySet[Booking],
    cancel: QuerySet[Booking] | None = None,
    now: datetime | None = None,
) -> Withdrawal:
    """Take bookings back for an erasure or retention: delete `delete`
    (participants with them), and cancel the upcoming ones of `cancel`, which
    bookkeeping keeps (an invoiced booking). Seats either held on an upcoming date
    go to the waitlist at once, and the other participants on such a booking are
    told they no longer have a place; its contact is the person being erased and
    gets no mail.

    The dates are locked first, in one order, as every other operation on seats
    locks the date before its bookings."""
    now = now or timezone.now()
    upcoming_deleted = bookings_active_upcoming(delete, now=now)
    to_cancel = (
        bookings_active_upcoming(cancel, now=now)
        if cancel is not None
        else Booking.objects.none()
    )
    date_ids = sorted(
        set(upcoming_deleted.values_list("course_date_id", flat=True))
        | set(to_cancel.values_list("course_date_id", flat=True))
    )
    with transaction.atomic():
        upcoming_dates = [lock_course_date(pk) for pk in date_ids]
        for booking in upcoming_deleted:
            queue_participant_notices(booking, template="participant_withdrawn")
        cancelled = list(to_cancel)
        for booking in cancelled:
            booking.status = Status.CANCELLED
            booking.cancelled_at = now
            booking.submission_key = None
            booking.save(update_fields=["status", "cancelled_at", "submission_key"])
            queue_participant_notices(booking, template="participant_withdrawn")
        _, deleted = delete.delete()
        promoted = [
            booking
            for course_date in upcoming_dates
            for booking in waitlist_promote(course_date=course_date, now=now)
        ]
    logger.info(
        "event=bookings_withdrawn deleted=%s cancelled=%s promoted=%s",
        deleted.get(Booking._meta.label, 0),
        len(cancelled),
        len(promoted),
    )
    return Withdrawal(deleted.get(Booking._meta.label, 0), cancelled, promoted)


def booking_promote(
    *, booking_id: int, by: AbstractBaseUser, now: datetime | None = None
) -> Booking:
    """Staff: move a waitlisted booking up, if every participant fits."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date_id = Booking.objects.values_list("course_date_id", flat=True).get(
            pk=booking_id
        )
        course_date = lock_course_date(course_date_id)
        booking = Booking.objects.select_related("course_date__course").get(
            pk=booking_id
        )
        if booking.status != Status.WAITLISTED:
            raise BookingError("Påmeldingen står ikke på ventelisten.")
        if course_date.is_cancelled:
            raise BookingError("Kursdatoen er avlyst.")
        seats_left = course_date.capacity - confirmed_seats(course_date=course_date)
        if booking.seats > seats_left:
            raise NotEnoughSeats(
                seats_left=max(seats_left, 0), seats_wanted=booking.seats
            )
        confirm_waitlisted(booking, now=now)
    logger.info("event=booking_promoted_by_staff id=%s by=%s", booking.pk, by.pk)
    return booking


def confirm_waitlisted(booking: Booking, *, now: datetime) -> None:
    """Give a waitlisted booking its seats. One that gave invoicing details when
    it joined is confirmed at once, as it was promised; one that did not (the
    waitlist asks for contact details only) is offered the seats, held until
    `offer_deadline` for its contact to confirm with the invoicing details."""
    booking.status = Status.CONFIRMED
    if booking.has_invoice_details:
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at"])
        queue_booking_mail(booking, template="booking_promoted", calendar=True)
        logger.info("event=booking_promoted id=%s", booking.pk)
        return
    booking.seat_offered_until = offer_deadline(booking.course_date, now=now)
    booking.save(update_fields=["status", "seat_offered_until"])
    queue_booking_mail(booking, template="booking_offered")
    logger.info("event=booking_offered id=%s", booking.pk)


def offer_deadline(course_date: CourseDate, *, now: datetime) -> datetime:
    """How long a seat offered is held: COURSES_SEAT_OFFER_HOURS, and never past
    the start of the course."""
    held = now + timedelta(hours=settings.COURSES_SEAT_OFFER_HOURS)
    return min(held, course_date.starts_at)


def booking_offer_accept(
    *, booking_id: int, invoice: InvoiceDetails, now: datetime | None = None
) -> Booking:
    """The contact confirms the seats offered, with the invoicing details: the
    booking is confirmed (and may be invoiced from now), with the usual mail and
    calendar file. `OfferClosed` when the offer was answered or cancelled, or
    has expired, in which case its seats go to the waitlist at once."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date_id = Booking.objects.values_list("course_date_id", flat=True).get(
            pk=booking_id
        )
        course_date = lock_course_date(course_date_id)
        booking = Booking.objects.select_related("course_date__course").get(
            pk=booking_id
        )
        if not booking.awaiting_answer:
            raise OfferClosed(offer_closed_message(booking))
        expired = now >= booking.seat_offered_until
        if expired:
            release_expired_on(course_date, now=now)
        else:
            for field in dataclasses.fields(invoice):
                setattr(booking, field.name, getattr(invoice, field.name))
            booking.seat_offered_until = None
            booking.confirmed_at = now
            booking.save(
                update_fields=[
                    *(field.name for field in dataclasses.fields(invoice)),
                    "seat_offered_until",
                    "confirmed_at",
                ]
            )
            queue_booking_mail(booking, template="booking_confirmed", calendar=True)
    if expired:
        booking.refresh_from_db()
        raise OfferClosed(offer_closed_message(booking))
    logger.info("event=booking_offer_accepted id=%s", booking.pk)
    return booking


OFFERS_JOB = "release_unanswered_seats"


def offers_release_expired(*, now: datetime | None = None) -> list[Booking]:
    """Every seat offered and not confirmed in time goes to the next on the
    waitlist: the booking is cancelled and its contact told. The bookings
    released; for the job that runs every hour (release_unanswered_seats)."""
    now = now or timezone.now()
    date_ids = (
        Booking.objects.awaiting_answer()
        .filter(seat_offered_until__lte=now)
        .values_list("course_date_id", flat=True)
        .distinct()
    )
    released = []
    for course_date_id in sorted(set(date_ids)):
        with transaction.atomic():
            course_date = lock_course_date(course_date_id)
            released.extend(release_expired_on(course_date, now=now))
    job_succeeded(name=OFFERS_JOB, at=now)
    return released


def release_expired_on(course_date: CourseDate, *, now: datetime) -> list[Booking]:
    """Cancel the expired offers of one date and give the seats to the waitlist.
    The caller holds the date's lock."""
    expired = list(
        Booking.objects.awaiting_answer()
        .filter(course_date=course_date, seat_offered_until__lte=now)
        .select_related("course_date__course")
    )
    for booking in expired:
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.submission_key = None
        booking.save(update_fields=["status", "cancelled_at", "submission_key"])
        queue_booking_mail(booking, template="booking_offer_expired")
        logger.info("event=booking_offer_expired id=%s", booking.pk)
    if expired:
        waitlist_promote(course_date=course_date, now=now)
    return expired


def offer_closed_message(booking: Booking) -> str:
    if booking.status == Status.CONFIRMED and not booking.awaiting_answer:
        return "Plassen er allerede bekreftet. Bekreftelsen er sendt på e-post."
    if booking.status == Status.CANCELLED and booking.seat_offered_until is not None:
        return (
            "Fristen for å bekrefte plassen gikk ut "
            f"{moment(booking.seat_offered_until)}, så plassen har gått videre til "
            "neste på ventelisten. Du kan melde deg på kurset igjen."
        )
    return "Påmeldingen er avbestilt, så det er ingen plass å bekrefte."


def course_date_cancel(
    *, course_date_id: int, by: AbstractBaseUser, now: datetime | None = None
) -> Cancellation:
    """Staff: cancel a whole date. Every active booking is cancelled and its contact
    told by e-mail; nobody moves up, since the date is off."""
    now = now or timezone.now()
    with transaction.atomic():
        course_date = lock_course_date(course_date_id)
        if course_date.is_cancelled:
            return Cancellation([], 0, [], dates_cancelled=0)
        course_date.cancelled_at = now
        course_date.save(update_fields=["cancelled_at"])
        active = list(
            Booking.objects.filter(
                course_date=course_date,
                status__in=[Status.CONFIRMED, Status.WAITLISTED],
            ).select_related("course_date__course")
        )
        for booking in active:
            booking.status = Status.CANCELLED
            booking.cancelled_at = now
            booking.seat_offered_until = None
            booking.save(update_fields=["status", "cancelled_at", "seat_offered_until"])
            queue_booking_mail(booking, template="course_date_cancelled")
            customer_recheck(email=booking.email, now=now)
    logger.info(
        "event=course_date_cancelled id=%s bookings=%s by=%s",
        course_date_id,
        len(active),
        by.pk,
    )
    return Cancellation(active, 0, [], dates_cancelled=1)


@dataclasses.dataclass(frozen=True)
class Invoicing:
    """What marking bookings as invoiced did, one count per reason; together
    they are the bookings selected."""

    marked: int
    already_invoiced: int
    waitlisted: int
    cancelled: int
    awaiting_answer: int = 0  # a seat offered, not yet confirmed with the details

    @property
    def left_alone(self) -> int:
        return (
            self.already_invoiced
            + self.waitlisted
            + self.cancelled
            + self.awaiting_answer
        )


def bookings_mark_invoiced(
    *, booking_ids: Iterable[int], by: AbstractBaseUser, now: datetime | None = None
) -> Invoicing:
    """Record that these bookings were invoiced, when and by whom.

    Bookings already invoiced keep their first date (retention counts from it).
    Waitlisted and cancelled bookings are not marked: a waitlisted one has no seat,
    and a cancelled one owes nothing under the purchase terms, which set no fee for
    cancelling (a fee agreed otherwise is invoiced outside the booking). Nor is a
    seat offered from the waitlist and not yet confirmed: it has no invoicing
    details, and may still go to someone else.
    """
    now = now or timezone.now()
    ids = set(booking_ids)
    with transaction.atomic():
        selected = Booking.objects.select_for_update().filter(pk__in=ids)
        already = selected.filter(invoiced_at__isnull=False).count()
        open_ones = selected.filter(invoiced_at__isnull=True)
        waitlisted = open_ones.filter(status=Status.WAITLISTED).count()
        cancelled = open_ones.filter(status=Status.CANCELLED).count()
        awaiting = open_ones.awaiting_answer().count()
        marked = open_ones.filter(
            status=Status.CONFIRMED, seat_offered_until__isnull=True
        ).update(invoiced_at=now, invoiced_by=by)
        # An invoiced booking is a sale: its contact is a customer from now.
        customers_record(now=now, bookings=selected)
    logger.info("event=bookings_invoiced count=%s by=%s", marked, by.pk)
    return Invoicing(marked, already, waitlisted, cancelled, awaiting)


def lock_course_date(course_date_id: int) -> CourseDate:
    """The date, locked until the transaction ends (only its own row)."""
    return (
        CourseDate.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=course_date_id)
    )


# ------------------------------------------------------------------------------
# The cancellation link
# ------------------------------------------------------------------------------
def booking_cancel_token(*, booking: Booking) -> str:
    """A signed token for the link in the e-mails; it names the booking by id only
    and stops working at the date's cancellation deadline."""
    deadline = booking.course_date.cancellation_closes_at
    return signing.dumps(
        {"b": booking.pk, "u": int(deadline.timestamp())}, salt=CANCEL_LINK_SALT
    )


def booking_from_cancel_token(token: str, *, now: datetime | None = None) -> Booking:
    """The booking a link is for. `signing.BadSignature` for a forged or mangled
    token, `CancellationClosed` once the deadline it was made for has passed."""
    now = now or timezone.now()
    data = signing.loads(token, salt=CANCEL_LINK_SALT)
    booking = Booking.objects.select_related("course_date__course").get(pk=data["b"])
    if now.timestamp() >= data["u"]:
        raise CancellationClosed(
            "Lenken har utløpt: fristen for å avbestille gikk ut "
            f"{moment(booking.course_date.cancellation_closes_at)}. Ta "
            f"kontakt med oss på {settings.BUSINESS_EMAIL} hvis du ikke kan komme."
        )
    return booking


# ------------------------------------------------------------------------------
# The link to confirm a seat offered
# ------------------------------------------------------------------------------
def booking_offer_token(*, booking: Booking) -> str:
    """A signed token for the link in the offer's mail, naming the booking and
    this offer's deadline. It works once: confirming, cancelling or the deadline
    ends the offer (`booking.seat_offered_until`), and the link with it."""
    return signing.dumps(
        {"b": booking.pk, "u": int(booking.seat_offered_until.timestamp())},
        salt=OFFER_LINK_SALT,
    )


def booking_from_offer_token(token: str, *, now: datetime | None = None) -> Booking:
    """The booking a link is for: `signing.BadSignature` for a forged or mangled
    token, `OfferClosed` once that offer is over."""
    now = now or timezone.now()
    data = signing.loads(token, salt=OFFER_LINK_SALT)
    booking = Booking.objects.select_related("course_date__course").get(pk=data["b"])
    if booking.status == Status.CANCELLED or not booking.awaiting_answer:
        raise OfferClosed(offer_closed_message(booking))
    if int(booking.seat_offered_until.timestamp()) != data["u"]:
        raise OfferClosed(offer_closed_message(booking))
    if now >= booking.seat_offered_until:
        # Past its deadline before the hourly job got to it: released now, as the
        # job would, so that the page says what is true (the seat has gone on).
        with transaction.atomic():
            release_expired_on(lock_course_date(booking.course_date_id), now=now)
        booking.refresh_from_db()
        raise OfferClosed(offer_closed_message(booking))
    return booking


def booking_offer_url(booking: Booking) -> str:
    return reverse("courses:booking_offer", args=[booking_offer_token(booking=booking)])


# ------------------------------------------------------------------------------
# Mail
# ------------------------------------------------------------------------------
def queue_participant_notices(
    booking: Booking,
    *,
    template: str = "participant_notice",
    only: Participant | None = None,
) -> int:
    """Mail every participant someone else signed up, about their place.

    `participant_notice` (GDPR art. 14), at sign-up: that the person who signed them
    up gave us their name and address, what for, for how long and how to exercise
    their rights, with where and when the course is. `participant_withdrawn`: the
    booking was erased at its contact's request, so they no longer have a place.
    Neither repeats anything typed into the form. `only`: just that participant
    (a colleague who took someone's place). Returns how many were queued."""
    context = {
        **booking_context(booking),
        "waitlisted": booking.status == Status.WAITLISTED,
        "retention": registry.processing(PARTICIPANTS_PROCESSING).retention.text,
    }
    participants = booking.participants.exclude(email=booking.email)
    if only is not None:
        participants = participants.filter(pk=only.pk)
    queued = 0
    for participant in participants:
        queued += 1
        email_queue(
            kind=f"courses_{template}",
            to=participant.email,
            template=f"courses/email/{template}",
            context=context,
            regarding=booking_mail_regarding(booking.pk),
        )
    return queued


def booking_context(booking: Booking) -> dict:
    """What every mail about a booking shows of its course and date."""
    course = booking.course_date.course
    return {
        "booking": booking,
        "course_date": booking.course_date,
        "course": course,
        "course_url": settings.SITE_URL + course.get_absolute_url(),
    }


def queue_booking_mail(
    booking: Booking, *, template: str, calendar: bool = False
) -> None:
    """Queue one of the booking mails to its contact, inside the caller's
    transaction (with a calendar file for the ones that give a seat)."""
    context = {
        **booking_context(booking),
        "participants": list(booking.participants.all()),
        "amounts": booking.amounts,
        "offer_hours": settings.COURSES_SEAT_OFFER_HOURS,
    }
    if booking.status != Status.CANCELLED:
        context["cancel_url"] = settings.SITE_URL + reverse(
            "courses:booking_cancel", args=[booking_cancel_token(booking=booking)]
        )
    if booking.awaiting_answer:
        context["offer_url"] = settings.SITE_URL + booking_offer_url(booking)
    attachments = []
    if calendar:
        attachments.append(
            {
                "filename": "kurs.ics",
                "content": course_date_ics(
                    course_date=booking.course_date, booking=booking
                ),
                "mimetype": "text/calendar",
            }
        )
    email_queue(
        kind=f"courses_{template}",
        to=booking.email,
        template=f"courses/email/{template}",
        context=context,
        attachments=attachments,
        regarding=booking_mail_regarding(booking.pk),
    )


def booking_mail_regarding(booking_id: int) -> str:
    """What the outbox records a booking's mail as being about (`regarding`)."""
    return f"courses.booking:{booking_id}"


# ------------------------------------------------------------------------------
# Words
# ------------------------------------------------------------------------------
def seats_phrase(number: int) -> str:
    return count(number, "plass", "plasser")


def participants_phrase(number: int) -> str:
    return count(number, "deltaker", "deltakere")


def signup_closed_message(course_date: CourseDate) -> str:
    if course_date.is_cancelled:
        return "Denne kursdatoen er avlyst, så påmeldingen er stengt."
    return (
        "Påmeldingen er stengt: fristen var "
        f"{moment(min(course_date.signup_closes_at, course_date.starts_at))}."
    )
