"""What the course admin pages share: counts in words, the confirmation page of an
action, a yes/no filter."""

from django.contrib import admin
from django.template.response import TemplateResponse

from core.norwegian import count, moment
from courses import services
from courses.models import Booking


def bookings(number: int) -> str:
    return count(number, "påmelding", "påmeldinger")


def customer(booking: Booking) -> str:
    """The contact and their organisation; never the invoice name of a private
    person, which bookkeeping keeps after an erasure (only the invoice fields on
    the booking's page show it)."""
    name = booking.full_name or "Anonymisert"
    return f"{name}, {booking.organisation}" if booking.organisation else name


STATUS_IN_A_LINE = {
    Booking.Status.CONFIRMED: "bekreftet",
    Booking.Status.WAITLISTED: "på venteliste",
    Booking.Status.CANCELLED: "avbestilt",
}


def booking_line(booking: Booking) -> str:
    """ "Påmelding 3: Kari Nordmann, Nordmann AS – Grunnkurs, 06.05.2031 kl. 09.00 –
    2 plasser, bekreftet", for a confirmation page."""
    course_date = booking.course_date
    return (
        f"Påmelding {booking.pk}: {customer(booking)} – {course_date.course.title}, "
        f"{moment(course_date.starts_at)} – "
        f"{count(booking.seats, 'plass', 'plasser')}, "
        f"{STATUS_IN_A_LINE[booking.status]}"
        + (", fakturert" if booking.invoiced_at else "")
    )


def mail_status(booking: Booking) -> str:
    """How a booking's mail is doing, the worst first (from the annotations of
    `selectors.bookings_with_mail_status`)."""
    if booking.mails_failed:
        return f"Feilet ({booking.mails_failed})"
    if booking.mails_waiting:
        return f"I kø ({booking.mails_waiting})"
    if booking.mails_held:
        return f"Holdt tilbake ({booking.mails_held})"
    return f"Sendt ({booking.mails_sent})" if booking.mails_sent else "–"


def cancellation_told(result: services.Cancellation) -> str:
    """What cancelling did, every count from the service's result."""
    told = f"{bookings(len(result.cancelled))} er avbestilt."
    if result.promoted:
        told += f" {bookings(len(result.promoted))} på ventelisten fikk plass."
    mails = count(result.mails, "e-post", "e-poster")
    return f"{told} {mails} er lagt i kø for sending."


def invoicing_left_alone(result: services.Invoicing) -> str:
    reasons = [
        (result.already_invoiced, "var fakturert fra før"),
        (result.waitlisted, "står på venteliste"),
        (result.cancelled, "er avbestilt"),
        (result.awaiting_answer, "venter på svar på en tilbudt plass"),
    ]
    why = ", ".join(f"{number} {reason}" for number, reason in reasons if number)
    return f"{bookings(result.left_alone)} ble ikke endret: {why}."


def is_set_filter(*, title: str, field: str) -> type[admin.SimpleListFilter]:
    """A Ja/Nei filter on whether a date is set (Django's own offers "Tom" and
    "Ikke tom")."""

    class IsSetFilter(admin.SimpleListFilter):
        parameter_name = title

        def lookups(self, request, model_admin):
            return [("ja", "Ja"), ("nei", "Nei")]

        def queryset(self, request, queryset):
            if self.value() in ("ja", "nei"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "nei"})
            return queryset

    IsSetFilter.title = title
    return IsSetFilter


def confirmation_page(request, model_admin, queryset, *, items, **texts):
    """An intermediate page for an action that cannot be undone, like Django's
    "delete selected": the action runs when the form comes back with confirm=yes.
    `items` says what it touches, one line each: `(text, [lines under it])`."""
    return TemplateResponse(
        request,
        "admin/courses/confirm_action.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "pks": list(queryset.values_list("pk", flat=True)),
            "items": items,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **texts,
        },
    )
