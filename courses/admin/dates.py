"""Courses and their dates: seats, the waitlist, cancelling a date, the participant
list."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.fields import AmountField
from core.norwegian import count
from courses import selectors, services
from courses.admin.common import (
    booking_line,
    bookings,
    confirmation_page,
    is_set_filter,
    mail_status,
)
from courses.admin.running import (
    CAN_ADD_BOOKING,
    CAN_CHANGE_BOOKING,
    CAN_CHECK_IN,
    CAN_MESSAGE,
    CourseDateRunning,
)
from courses.models import (
    Booking,
    Course,
    CourseDate,
)
from courses.templatetags.course_format import moment, nok
from outbox.models import OutgoingEmail
from outbox.services import mail_kind_label
from privacy.services.audit import access_audit_record


class SeatColumns:
    """Seat counts from the annotations of `selectors.course_dates_with_seats`."""

    @admin.display(description="tatt", ordering="seats_taken")
    def seats_taken(self, obj):
        return obj.seats_taken

    @admin.display(description="ledige")
    def seats_free(self, obj):
        return obj.seats_left

    @admin.display(description="venteliste", ordering="seats_waitlisted")
    def seats_waitlisted(self, obj):
        if not obj.seats_waitlisted:
            return 0
        return f"{obj.seats_waitlisted} ({bookings(obj.bookings_waitlisted)})"

    @admin.display(description="sider")
    def participant_list_link(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">Oversikt</a> · <a href="{}">Deltakerliste</a>',
            reverse("admin:courses_coursedate_overview", args=[obj.pk]),
            reverse("admin:courses_coursedate_participants", args=[obj.pk]),
        )


DATE_FIELDS = [
    "starts_at",
    "ends_at",
    "is_online",
    "place",
    "capacity",
    "signup_deadline",
    "cancellation_deadline",
]


class CourseDateForm(forms.ModelForm):
    class Meta:
        model = CourseDate
        fields = DATE_FIELDS

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            taken = self.seats_taken(fewer=capacity < self.instance.capacity)
            if capacity < taken:
                self.add_error(
                    "capacity",
                    f"{taken} plasser er allerede bekreftet. Avbestill påmeldinger "
                    "først hvis det skal bli færre plasser.",
                )
        if not cleaned.get("is_online") and not cleaned.get("place"):
            self.add_error(
                "place", "Skriv hvor kurset holdes, eller kryss av for nettbasert."
            )
        return cleaned

    def seats_taken(self, *, fewer: bool) -> int:
        """Confirmed seats on this date. When the capacity goes down, the date stays
        locked until the admin's transaction ends (it wraps this check and the save),
        so that no sign-up takes a seat in between; more seats need no lock, and a
        course's other dates in the same form are left alone."""
        course_date = self.instance
        if fewer:
            course_date = services.lock_course_date(course_date.pk)
        return selectors.confirmed_seats(course_date=course_date)


class CourseDateInline(SeatColumns, admin.TabularInline):
    model = CourseDate
    form = CourseDateForm
    extra = 1
    can_delete = False
    show_change_link = True
    # Within 1280 px: when, where, how many and the seat counts; "nettbasert",
    # the deadlines and cancelling are on the date's own page ("Endre").
    fields = [
        "starts_at",
        "ends_at",
        "place",
        "capacity",
        "seats_taken",
        "seats_free",
        "seats_waitlisted",
        "participant_list_link",
    ]
    readonly_fields = [
        "seats_taken",
        "seats_free",
        "seats_waitlisted",
        "participant_list_link",
    ]

    def get_queryset(self, request):
        return selectors.course_dates_with_seats(super().get_queryset(request))


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    # Price and VAT rate as the rest of the site writes them ("5 900", "25").
    formfield_overrides = {models.DecimalField: {"form_class": AmountField}}
    list_display = ["title", "price_display", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CourseDateInline]

    @admin.display(description="pris per deltaker", ordering="price")
    def price_display(self, obj):
        label = "inkl. mva" if obj.price_includes_vat else "ekskl. mva"
        return f"{nok(obj.price)} {label}"

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # More seats on a date: the waitlist moves up at once.
        for course_date in formset.changed_objects:
            fill_from_waitlist(request, course_date[0])


def fill_from_waitlist(request, course_date: CourseDate) -> None:
    promoted = services.course_date_fill_from_waitlist(course_date_id=course_date.pk)
    if promoted:
        messages.success(
            request,
            f"{bookings(len(promoted))} på {course_date} fikk plass fra ventelisten "
            "og har fått e-post.",
        )


@admin.register(CourseDate)
class CourseDateAdmin(SeatColumns, CourseDateRunning, admin.ModelAdmin):
    form = CourseDateForm
    list_display = [
        "__str__",
        "place_display",
        "capacity",
        "seats_taken",
        "seats_free",
        "seats_waitlisted",
        "status",
        "participant_list_link",
    ]
    list_filter = [
        "course",
        "is_online",
        is_set_filter(title="avlyst", field="cancelled_at"),
    ]
    date_hierarchy = "starts_at"
    ordering = ["-starts_at"]
    actions = ["cancel_dates"]
    fields = [
        "course",
        "starts_at",
        "ends_at",
        "is_online",
        "place",
        "capacity",
        "signup_deadline",
        "cancellation_deadline",
        "cancelled_at",
    ]
    readonly_fields = ["cancelled_at"]

    def get_queryset(self, request):
        return selectors.course_dates_with_seats(super().get_queryset(request))

    @admin.display(description="sted")
    def place_display(self, obj):
        return obj.place_display

    @admin.display(description="status")
    def status(self, obj):
        if obj.is_cancelled:
            return f"Avlyst {moment(obj.cancelled_at)}"
        if not obj.signup_open():
            return "Påmeldingen er stengt"
        return "Fullt (venteliste)" if obj.is_full else "Åpen for påmelding"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            fill_from_waitlist(request, obj)

    @admin.action(
        description="Avlys valgte kursdatoer (alle påmeldte får e-post)",
        permissions=["change"],
    )
    def cancel_dates(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return confirmation_page(
                request,
                self,
                queryset,
                items=[
                    (
                        f"{course_date}: {bookings(len(active))}",
                        [booking_line(booking) for booking in active],
                    )
                    for course_date, active in selectors.course_dates_active_bookings(
                        queryset
                    )
                ],
                action="cancel_dates",
                title="Avlyse kursdatoene?",
                explanation="Alle påmeldinger på disse datoene, bekreftede og på "
                "venteliste, blir avbestilt, og alle som har meldt på får e-post om "
                "at kurset er avlyst. Det kan ikke angres. Fakturerte påmeldinger "
                "kan trenge en kreditnota.",
                button="Ja, avlys og send e-post",
            )
        results = [
            services.course_date_cancel(course_date_id=pk, by=request.user)
            for pk in queryset.values_list("pk", flat=True)
        ]
        dates = sum(result.dates_cancelled for result in results)
        cancelled = sum(len(result.cancelled) for result in results)
        mails = sum(result.mails for result in results)
        self.message_user(
            request,
            f"{count(dates, 'kursdato', 'kursdatoer')} er avlyst; "
            f"{bookings(cancelled)} er avbestilt, og "
            f"{count(mails, 'e-post', 'e-poster')} er lagt i kø for sending.",
            messages.SUCCESS,
        )
        if len(results) > dates:
            self.message_user(
                request,
                f"{count(len(results) - dates, 'kursdato', 'kursdatoer')} var avlyst "
                "fra før og ble ikke endret.",
                messages.WARNING,
            )
        return None

    # The printable participant list -------------------------------------------

    def get_urls(self):
        return [
            *self.running_urls(),
            path(
                "<path:object_id>/deltakerliste/",
                self.admin_site.admin_view(self.participant_list_view),
                name="courses_coursedate_participants",
            ),
            path(
                "<path:object_id>/oversikt/",
                self.admin_site.admin_view(self.overview_view),
                name="courses_coursedate_overview",
            ),
            *super().get_urls(),
        ]

    def overview_view(self, request, object_id):
        """One place per course date (pretix's event dashboard): its seats, its
        bookings and waitlist in order with their participants and mail, and the
        booking actions, which run on the booking list filtered to this date."""
        if not request.user.has_perm("courses.view_booking"):
            raise PermissionDenied
        course_date = self.get_object(request, unquote(object_id))
        if course_date is None:
            raise Http404
        listed = list(
            selectors.bookings_with_mail_status(
                selectors.bookings_for_participant_list(course_date=course_date)
            )
        )
        for booking in listed:
            booking.mail_status = mail_status(booking)
        mail_counts = selectors.course_date_mail_counts(bookings=listed)
        statuses = dict(OutgoingEmail.Status.choices)
        mails = {}
        for row in mail_counts:
            mails.setdefault(mail_kind_label(row["kind"]), []).append(
                f"{row['count']} {statuses[row['status']].lower()}"
            )
        # The actions go to the booking list filtered to this date, which is
        # where Django sends the staff member back to afterwards.
        bookings_url = reverse("admin:courses_booking_changelist")
        actions_url = f"{bookings_url}?course_date__id__exact={course_date.pk}"
        return TemplateResponse(
            request,
            "admin/courses/course_date_overview.html",
            {
                **self.admin_site.each_context(request),
                "title": str(course_date),
                "opts": self.opts,
                "course_date": course_date,
                "confirmed": [
                    b for b in listed if b.status == Booking.Status.CONFIRMED
                ],
                "waitlisted": [
                    b for b in listed if b.status == Booking.Status.WAITLISTED
                ],
                "mails": [(kind, ", ".join(counts)) for kind, counts in mails.items()],
                "actions_url": actions_url,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "can_change": request.user.has_perm(CAN_CHANGE_BOOKING),
                "can_add": request.user.has_perm(CAN_ADD_BOOKING),
                "can_check_in": request.user.has_perm(CAN_CHECK_IN),
                "can_message": request.user.has_perm(CAN_MESSAGE),
                "messages_sent": selectors.course_date_messages(
                    course_date=course_date
                ),
            },
        )

    def participant_list_view(self, request, object_id):
        if not request.user.has_perm("courses.view_booking"):
            raise PermissionDenied
        course_date = self.get_object(request, unquote(object_id))
        if course_date is None:
            raise Http404
        listed = list(selectors.bookings_for_participant_list(course_date=course_date))
        confirmed = [b for b in listed if b.status == Booking.Status.CONFIRMED]
        waitlisted = [b for b in listed if b.status == Booking.Status.WAITLISTED]
        access_audit_record(
            user=request.user,
            what=f"Deltakerliste for {course_date.course.title} ({course_date.pk})",
            rows=sum(len(booking.participants.all()) for booking in listed),
        )
        return TemplateResponse(
            request,
            "admin/courses/participant_list.html",
            {
                "course_date": course_date,
                "course": course_date.course,
                "confirmed": confirmed,
                "waitlisted": waitlisted,
                "printed_at": timezone.now(),
                "admin_url": reverse(
                    "admin:courses_coursedate_change", args=[course_date.pk]
                ),
            },
        )
