"""Queries that read courses and seats. Seat counts are annotated in the same query
as the dates, so a page lists any number of dates in a constant number of queries."""

import dataclasses
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    CharField,
    Count,
    Func,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from courses.models import (
    Amounts,
    Booking,
    Course,
    CourseDate,
    CourseDateMessage,
    Participant,
)
from outbox.models import OutgoingEmail

CONFIRMED = Booking.Status.CONFIRMED
WAITLISTED = Booking.Status.WAITLISTED


def course_dates_with_seats(queryset: QuerySet | None = None) -> QuerySet:
    """Dates with `seats_taken`, `seats_waitlisted` and `bookings_waitlisted`.

    Correlated subqueries rather than a join and GROUP BY: each is an index range
    scan (course_date, status) for the rows actually fetched, so a page of dates
    costs the same however many bookings the site has.
    """
    if queryset is None:
        queryset = CourseDate.objects.all()
    # The course and its image come in the same query: every date card shows both.
    return queryset.select_related("course__image").annotate(
        seats_taken=seat_sum(CONFIRMED),
        seats_waitlisted=seat_sum(WAITLISTED),
        bookings_waitlisted=Coalesce(
            Subquery(
                bookings_of_date(WAITLISTED)
                .annotate(count=Func("pk", function="COUNT"))
                .values("count")
            ),
            Value(0),
        ),
    )


def bookings_of_date(status: str) -> QuerySet:
    return (
        Booking.objects.filter(course_date=OuterRef("pk"), status=status)
        .order_by()
        .values("course_date")
    )


def seat_sum(status: str):
    return Coalesce(
        Subquery(
            bookings_of_date(status)
            .annotate(total=Func("seats", function="SUM"))
            .values("total")
        ),
        Value(0),
    )


def course_dates_upcoming(*, limit: int | None = None, now=None) -> QuerySet:
    """Published dates that have not started and are not cancelled, soonest first."""
    now = now or timezone.now()
    dates = course_dates_with_seats(
        CourseDate.objects.filter(
            course__is_published=True, starts_at__gt=now, cancelled_at__isnull=True
        )
    ).order_by("starts_at", "pk")
    return dates[:limit] if limit else dates


def course_dates_for_staff(*, now=None, limit: int = 20) -> list[CourseDate]:
    """Staff's coming dates, published or not, not cancelled, soonest first, with
    their seat counts: one query."""
    now = now or timezone.now()
    dates = course_dates_with_seats(
        CourseDate.objects.filter(starts_at__gt=now, cancelled_at__isnull=True)
    ).order_by("starts_at", "pk")
    return list(dates[:limit])


def bookings_to_invoice(*, now=None, limit: int = 20) -> list[Booking]:
    """Confirmed bookings whose course is over and that are not invoiced yet,
    oldest course first: one query (`limit` + 1 rows, so a page can say there are
    more)."""
    now = now or timezone.now()
    return list(
        Booking.objects.filter(
            status=CONFIRMED,
            invoiced_at__isnull=True,
            # A seat offered and never confirmed has nothing to invoice.
            seat_offered_until__isnull=True,
            course_date__ends_at__lte=now,
        )
        .select_related("course_date__course")
        .order_by("course_date__starts_at", "pk")[: limit + 1]
    )


def course_published(*, slug: str) -> Course:
    return (
        Course.objects.filter(is_published=True, slug=slug)
        .select_related("image", "teacher__photo")
        .get()
    )


def course_dates_coming(course: Course) -> QuerySet:
    """The course's dates that have not started (cancelled ones too, marked so),
    soonest first, with their seat counts."""
    return (
        course_dates_with_seats(
            CourseDate.objects.filter(course=course, starts_at__gt=timezone.now())
        )
        .select_related("course")
        .order_by("starts_at", "pk")
    )


def course_date_for_signup(*, slug: str, pk: int) -> CourseDate:
    return course_dates_with_seats(
        CourseDate.objects.filter(course__is_published=True, course__slug=slug)
    ).get(pk=pk)


def confirmed_seats(*, course_date: CourseDate) -> int:
    """Seats taken right now; call with the date locked to act on the answer."""
    return Booking.objects.filter(course_date=course_date, status=CONFIRMED).aggregate(
        taken=Coalesce(Sum("seats"), Value(0))
    )["taken"]


def bookings_for_participant_list(*, course_date: CourseDate) -> QuerySet:
    """Confirmed and waitlisted bookings with their participants, in sign-up order."""
    return (
        Booking.objects.filter(
            course_date=course_date, status__in=[CONFIRMED, WAITLISTED]
        )
        .prefetch_related("participants")
        .order_by("created_at", "pk")
    )


def confirmed_participants(*, course_date: CourseDate | int) -> QuerySet:
    """The participants of the date's confirmed bookings, not those of a seat
    offered and not yet confirmed by its contact."""
    return Participant.objects.filter(
        booking__course_date=course_date,
        booking__status=CONFIRMED,
        booking__seat_offered_until__isnull=True,
    )


def confirmed_participant_addresses(*, course_date: CourseDate) -> list[str]:
    """The addresses of the date's confirmed participants, each once, in sign-up
    order; anonymised participants (no address) are left out."""
    addresses = (
        confirmed_participants(course_date=course_date)
        .exclude(email="")
        .order_by("booking__created_at", "pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(addresses))


def participants_for_check_in(*, course_date: CourseDate) -> list:
    """The date's confirmed participants by last name, then first name, each with
    its booking (for the company), for the check-in page."""
    return list(
        confirmed_participants(course_date=course_date)
        .select_related("booking")
        .order_by("last_name", "first_name", "pk")
    )


def course_dates_to_move_to(*, booking: Booking, now=None) -> list[CourseDate]:
    """The other dates of the booking's course that a booking can move to: not
    cancelled, not begun, soonest first, with their seats."""
    now = now or timezone.now()
    return list(
        course_dates_with_seats(
            CourseDate.objects.filter(
                course_id=booking.course_date.course_id,
                starts_at__gt=now,
                cancelled_at__isnull=True,
            ).exclude(pk=booking.course_date_id)
        ).order_by("starts_at", "pk")
    )


def bookings_active_upcoming(bookings: QuerySet, *, now) -> QuerySet:
    """Those of `bookings` that are confirmed or waitlisted on a date not yet begun:
    the ones whose seats and people an erasure affects, soonest first."""
    return (
        bookings.filter(
            course_date__starts_at__gt=now, status__in=[CONFIRMED, WAITLISTED]
        )
        .select_related("course_date__course")
        .order_by("course_date__starts_at", "pk")
    )


def course_dates_active_bookings(dates: QuerySet) -> list[tuple[CourseDate, list]]:
    """Each date with its confirmed and waitlisted bookings in sign-up order (what
    cancelling the date touches), in two queries."""
    active = Booking.objects.filter(status__in=[CONFIRMED, WAITLISTED]).order_by(
        "created_at", "pk"
    )
    dates = dates.select_related("course").prefetch_related(
        Prefetch("bookings", queryset=active, to_attr="active")
    )
    return [(course_date, course_date.active) for course_date in dates]


# The outbox records a booking's mail as "courses.booking:<pk>"
# (courses.services.booking_mail_regarding).
BOOKING_MAIL_PREFIX = "courses.booking:"


def booking_mails(*, booking: Booking) -> QuerySet:
    """The mail about one booking (to its contact and participants), newest first;
    nothing else in the outbox. Sent mail goes after MAIL_RETENTION_DAYS."""
    return OutgoingEmail.objects.filter(
        regarding=f"{BOOKING_MAIL_PREFIX}{booking.pk}"
    ).order_by("-created_at", "-pk")


def bookings_with_mail_status(queryset: QuerySet) -> QuerySet:
    """Bookings with `mails_failed`, `mails_waiting` (queued or being sent),
    `mails_held` and `mails_sent`: one correlated count each, for a list page."""
    regarding = Concat(Value(BOOKING_MAIL_PREFIX), Cast(OuterRef("pk"), CharField()))

    def mails_in(*statuses: str):
        return Coalesce(
            Subquery(
                OutgoingEmail.objects.filter(regarding=regarding, status__in=statuses)
                .order_by()
                .values("regarding")
                .annotate(count=Func("pk", function="COUNT"))
                .values("count")
            ),
            Value(0),
        )

    Status = OutgoingEmail.Status
    return queryset.annotate(
        mails_failed=mails_in(Status.FAILED),
        mails_waiting=mails_in(Status.QUEUED, Status.SENDING),
        mails_held=mails_in(Status.HELD),
        mails_sent=mails_in(Status.SENT),
    )


def course_date_mail_counts(*, bookings: list[Booking]) -> list[dict]:
    """The mail about these bookings by kind and status ("kind", "status",
    "count"): one query."""
    regarding = [f"{BOOKING_MAIL_PREFIX}{booking.pk}" for booking in bookings]
    return list(
        OutgoingEmail.objects.filter(regarding__in=regarding)
        .values("kind", "status")
        .annotate(count=Count("pk"))
        .order_by("kind", "status")
    )


# Revenue ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Revenue:
    """Invoiced amounts summed: without VAT, VAT, total, and how many bookings."""

    net: Decimal = Decimal(0)
    vat: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    bookings: int = 0

    def plus(self, amounts: Amounts, *, times: int) -> "Revenue":
        return Revenue(
            net=self.net + amounts.net * times,
            vat=self.vat + amounts.vat * times,
            total=self.total + amounts.total * times,
            bookings=self.bookings + times,
        )

    def __add__(self, other: "Revenue") -> "Revenue":
        return Revenue(
            net=self.net + other.net,
            vat=self.vat + other.vat,
            total=self.total + other.total,
            bookings=self.bookings + other.bookings,
        )


@dataclasses.dataclass(frozen=True)
class DateRevenue:
    course_date_id: int
    title: str
    starts_at: datetime
    revenue: Revenue


@dataclasses.dataclass(frozen=True)
class RevenueReport:
    since: date  # the first day of the first month
    months: list[tuple[date, Revenue]]  # every month from `since`, oldest first
    dates: list[DateRevenue]  # every date with revenue, the latest first

    @property
    def total(self) -> Revenue:
        return sum((revenue for _, revenue in self.months), Revenue())


def revenue_by_month_and_date(*, months: int = 12, now=None) -> RevenueReport:
    """Revenue of course dates from the first day of the month `months` - 1 months
    back (this one counted) onwards, per month and per date: one query.

    Revenue is what was invoiced: confirmed bookings marked as invoiced, counted
    in the month of their course date (when the course was delivered), not of the
    invoice. A booking cancelled after it was invoiced is left out: it may need a
    credit note. The database groups bookings by date and by what sets their
    amounts; each group's amounts are the booking's own, rounded as on its
    invoice (courses.models.Amounts), times the group's count.
    """
    today = timezone.localdate(now or timezone.now())
    since = month_start(today, back=months - 1)
    groups = (
        Booking.objects.filter(
            status=CONFIRMED,
            invoiced_at__isnull=False,
            course_date__starts_at__gte=local_midnight(since),
        )
        .values(
            "course_date_id",
            "course_date__starts_at",
            "course_date__course__title",
            "unit_price",
            "price_includes_vat",
            "vat_rate",
            "seats",
        )
        .annotate(count=Count("pk"))
        .order_by("course_date__starts_at", "course_date_id")
    )
    by_date: dict[int, DateRevenue] = {}
    by_month: dict[date, Revenue] = defaultdict(Revenue)
    for group in groups:
        amounts = Amounts.of(
            unit_price=group["unit_price"],
            seats=group["seats"],
            vat_rate=group["vat_rate"],
            includes_vat=group["price_includes_vat"],
        )
        pk, starts_at = group["course_date_id"], group["course_date__starts_at"]
        known = by_date.get(pk) or DateRevenue(
            pk, group["course_date__course__title"], starts_at, Revenue()
        )
        by_date[pk] = dataclasses.replace(
            known, revenue=known.revenue.plus(amounts, times=group["count"])
        )
        month = timezone.localdate(starts_at).replace(day=1)
        by_month[month] = by_month[month].plus(amounts, times=group["count"])
    last = max([today.replace(day=1), *by_month])
    return RevenueReport(
        since=since,
        months=[(month, by_month[month]) for month in months_between(since, last)],
        dates=list(reversed(by_date.values())),
    )


def month_start(day: date, *, back: int) -> date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """The first day of each month from `first`'s to `last`'s, both included."""
    months, month = [], first
    while month <= last:
        months.append(month)
        month = month_start(month, back=-1)
    return months


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def course_date_messages(*, course_date: CourseDate) -> list:
    """The mails staff sent to the date's participants, newest first, each with
    `mail_counts` ("3 sendt, 1 i kø"): what the outbox did with them. Two
    queries."""
    messages = list(
        CourseDateMessage.objects.filter(course_date=course_date).select_related(
            "sent_by"
        )
    )
    by_regarding = {
        f"{MESSAGE_MAIL_PREFIX}{message.pk}": message for message in messages
    }
    counted = (
        OutgoingEmail.objects.filter(regarding__in=by_regarding)
        .values("regarding", "status")
        .annotate(count=Count("pk"))
        .order_by("regarding", "status")
    )
    statuses = dict(OutgoingEmail.Status.choices)
    for message in messages:
        message.mail_counts = []
    for row in counted:
        by_regarding[row["regarding"]].mail_counts.append(
            f"{row['count']} {statuses[row['status']].lower()}"
        )
    return messages


# The outbox records a message's mail as "courses.coursedatemessage:<pk>"
# (courses.services.running.message_regarding).
MESSAGE_MAIL_PREFIX = "courses.coursedatemessage:"
