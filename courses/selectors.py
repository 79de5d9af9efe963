"""Queries that read courses and seats. Seat counts are annotated in the same query
as the dates, so a page lists any number of dates in a constant number of queries."""

from django.db.models import Func, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import Booking, Course, CourseDate

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
    return queryset.select_related("course").annotate(
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


def course_published(*, slug: str) -> Course:
    """The course with its upcoming dates (cancelled ones too, marked so)."""
    upcoming = course_dates_with_seats(
        CourseDate.objects.filter(starts_at__gt=timezone.now())
    ).order_by("starts_at", "pk")
    return (
        Course.objects.filter(is_published=True, slug=slug)
        .select_related("image", "teacher__photo")
        .prefetch_related(Prefetch("dates", queryset=upcoming, to_attr="upcoming"))
        .get()
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
