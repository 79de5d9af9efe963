"""Staff's tools for courses: thin, every change of seats goes through services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from core.csv import csv_response
from core.norwegian import count
from core.validators import clean_orgnr
from courses import selectors, services
from courses.models import (
    CONTACT_PROCESSING,
    PARTICIPANTS_PROCESSING,
    Booking,
    Course,
    CourseDate,
    Participant,
)
from courses.templatetags.course_format import moment, nok
from privacy.registry import normalise_email, registry
from privacy.services.audit import access_audit_record


def bookings(number: int) -> str:
    return count(number, "påmelding", "påmeldinger")


def invoicing_left_alone(result: services.Invoicing) -> str:
    reasons = [
        (result.already_invoiced, "var fakturert fra før"),
        (result.waitlisted, "står på venteliste"),
        (result.cancelled, "er avbestilt"),
    ]
    why = ", ".join(f"{number} {reason}" for number, reason in reasons if number)
    return f"{bookings(result.left_alone)} ble ikke endret: {why}."


def decimal_comma(value) -> str:
    """Amounts for Norwegian Excel: 4500,00."""
    return f"{value:.2f}".replace(".", ",")


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

    @admin.display(description="deltakerliste")
    def participant_list_link(self, obj):
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">Deltakerliste</a>',
            reverse("admin:courses_coursedate_participants", args=[obj.pk]),
        )


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


class CourseDateForm(forms.ModelForm):
    class Meta:
        model = CourseDate
        fields = [
            "starts_at",
            "ends_at",
            "is_online",
            "place",
            "capacity",
            "signup_deadline",
            "cancellation_deadline",
        ]

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
    fields = [
        "starts_at",
        "ends_at",
        "is_online",
        "place",
        "capacity",
        "signup_deadline",
        "cancellation_deadline",
        "seats_taken",
        "seats_free",
        "seats_waitlisted",
        "cancelled_at",
        "participant_list_link",
    ]
    readonly_fields = [
        "seats_taken",
        "seats_free",
        "seats_waitlisted",
        "cancelled_at",
        "participant_list_link",
    ]

    def get_queryset(self, request):
        return selectors.course_dates_with_seats(super().get_queryset(request))


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
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
class CourseDateAdmin(SeatColumns, admin.ModelAdmin):
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
                action="cancel_dates",
                title="Avlyse kursdatoene?",
                explanation="Alle påmeldinger på disse datoene, bekreftede og på "
                "venteliste, blir avbestilt, og alle som har meldt på får e-post om "
                "at kurset er avlyst. Det kan ikke angres.",
                button="Ja, avlys og send e-post",
            )
        total = 0
        for course_date in queryset:
            total += services.course_date_cancel(
                course_date_id=course_date.pk, by=request.user
            )
        self.message_user(
            request,
            f"{len(queryset)} kursdato(er) er avlyst; {bookings(total)} er avbestilt "
            "og har fått e-post.",
            messages.SUCCESS,
        )
        return None

    # The printable participant list -------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/deltakerliste/",
                self.admin_site.admin_view(self.participant_list_view),
                name="courses_coursedate_participants",
            ),
            *super().get_urls(),
        ]

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


def keep_anonymised_fields_blank(form: forms.ModelForm, processing_key: str) -> None:
    """A record anonymised by erasure or retention keeps the fields its declaration
    blanks blank: shown, but neither required nor editable, so that the rest (an
    invoice address, say) can still be corrected and saved."""
    if not (form.instance.pk and form.instance.email == ""):
        return
    blanked = registry.processing(processing_key).erasure.replacements
    for name in blanked.keys() & form.fields.keys():
        form.fields[name].required = False
        form.fields[name].disabled = True
        form.fields[name].help_text = "Anonymisert etter personvernreglene."


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_anonymised_fields_blank(self, PARTICIPANTS_PROCESSING)

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class ParticipantInline(admin.TabularInline):
    """Names can be corrected on request; adding or removing people changes the
    seats, so that goes by cancelling and signing up again."""

    model = Participant
    form = ParticipantForm
    fields = ["first_name", "last_name", "email"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BookingAdminForm(forms.ModelForm):
    class Meta:
        model = Booking
        fields = [  # what staff may correct on request; the rest is read-only
            "first_name",
            "last_name",
            "email",
            "company",
            "invoice_name",
            "orgnr",
            "invoice_street",
            "invoice_postcode",
            "invoice_place",
            "invoice_method",
            "invoice_email",
            "your_reference",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep_anonymised_fields_blank(self, CONTACT_PROCESSING)

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_invoice_email(self):
        return normalise_email(self.cleaned_data["invoice_email"])

    def clean_orgnr(self):
        value = self.cleaned_data["orgnr"].strip()
        return clean_orgnr(value) if value else ""


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    form = BookingAdminForm
    list_display = [
        "__str__",
        "course_date",
        "contact",
        "invoice_name",
        "seats",
        "status",
        "total",
        "created_at",
        "invoiced_at",
    ]
    list_filter = [
        "status",
        is_set_filter(title="fakturert", field="invoiced_at"),
        "course_date__course",
        "course_date",
    ]
    list_select_related = ["course_date__course"]
    search_fields = [
        "=id",
        "first_name",
        "last_name",
        "email",
        "company",
        "invoice_name",
        "orgnr",
        "participants__first_name",
        "participants__last_name",
        "participants__email",
    ]
    date_hierarchy = "created_at"
    actions = ["promote", "cancel_bookings", "mark_invoiced", "export_csv"]
    inlines = [ParticipantInline]
    readonly_fields = [
        "course_date",
        "status",
        "seats",
        "unit_price",
        "price_includes_vat",
        "vat_rate",
        "total",
        "newsletter_declined",
        "newsletter_notice_version",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "invoiced_at",
        "invoiced_by",
    ]
    fieldsets = [
        (
            "Påmelding",
            {
                "fields": [
                    "course_date",
                    "status",
                    "seats",
                    "created_at",
                    "confirmed_at",
                    "cancelled_at",
                ],
                "description": "Status endres med handlingene i listen over "
                "påmeldinger, slik at plassene aldri blir for mange.",
            },
        ),
        (
            "Den som meldte på",
            {"fields": ["first_name", "last_name", "email", "company"]},
        ),
        (
            "Faktura",
            {
                "fields": [
                    "invoice_name",
                    "orgnr",
                    "invoice_street",
                    "invoice_postcode",
                    "invoice_place",
                    "invoice_method",
                    "invoice_email",
                    "your_reference",
                    "unit_price",
                    "price_includes_vat",
                    "vat_rate",
                    "total",
                    "invoiced_at",
                    "invoiced_by",
                ]
            },
        ),
        (
            "E-post om lignende kurs (markedsføringsloven § 15)",
            {"fields": ["newsletter_declined", "newsletter_notice_version"]},
        ),
    ]

    @admin.display(description="kontaktperson", ordering="last_name")
    def contact(self, obj):
        return obj.full_name

    @admin.display(description="beløp inkl. mva")
    def total(self, obj):
        return nok(obj.amounts.total)

    def has_add_permission(self, request):
        return False  # bookings come from the sign-up form, which counts the seats

    # Actions ------------------------------------------------------------------

    @admin.action(
        description="Flytt fra venteliste til bekreftet", permissions=["change"]
    )
    def promote(self, request, queryset):
        moved = 0
        for booking in queryset.order_by("created_at", "pk"):
            try:
                services.booking_promote(booking_id=booking.pk, by=request.user)
            except services.BookingError as error:
                self.message_user(
                    request, f"Påmelding {booking.pk}: {error.message}", messages.ERROR
                )
            else:
                moved += 1
        if moved:
            self.message_user(
                request,
                f"{bookings(moved)} er flyttet fra ventelisten og har fått e-post.",
                messages.SUCCESS,
            )

    @admin.action(
        description="Avbestill valgte påmeldinger (e-post sendes)",
        permissions=["change"],
    )
    def cancel_bookings(self, request, queryset):
        if request.POST.get("confirm") != "yes":
            return confirmation_page(
                request,
                self,
                queryset,
                action="cancel_bookings",
                title="Avbestille påmeldingene?",
                explanation="Påmeldingene blir avbestilt for alle deltakerne, den "
                "som meldte på får e-post, og ledige plasser går til ventelisten.",
                button="Ja, avbestill",
            )
        cancelled = 0
        for booking in queryset:
            if booking.status != Booking.Status.CANCELLED:
                services.booking_cancel(booking_id=booking.pk, by=request.user)
                cancelled += 1
        self.message_user(
            request, f"{bookings(cancelled)} er avbestilt.", messages.SUCCESS
        )
        return None

    @admin.action(description="Merk som fakturert", permissions=["change"])
    def mark_invoiced(self, request, queryset):
        # The ids once, before the update: a list filtered on "not invoiced"
        # would be empty if evaluated again afterwards.
        result = services.bookings_mark_invoiced(
            booking_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        if result.marked:
            self.message_user(
                request,
                f"{bookings(result.marked)} er merket som fakturert.",
                messages.SUCCESS,
            )
        if result.left_alone:
            self.message_user(request, invoicing_left_alone(result), messages.WARNING)

    @admin.action(
        description="Eksporter valgte til regnskap (CSV)", permissions=["view"]
    )
    def export_csv(self, request, queryset):
        rows = [
            booking_row(booking)
            for booking in queryset.select_related(
                "course_date__course", "invoiced_by"
            ).order_by("pk")
        ]
        return csv_response(
            exported_by=request.user,
            what="Kurspåmeldinger til regnskap",
            filename=f"kurspameldinger-{timezone.localdate():%Y-%m-%d}.csv",
            header=CSV_HEADER,
            rows=rows,
        )


CSV_HEADER = [
    "Påmelding",
    "Kurs",
    "Kursdato",
    "Status",
    "Fakturamottaker",
    "Organisasjonsnummer",
    "Fakturaadresse",
    "Postnummer",
    "Poststed",
    "Fakturering",
    "E-post for faktura",
    "Deres referanse",
    "Kontaktperson",
    "Kontaktens e-post",
    "Antall deltakere",
    "Pris per deltaker",
    "Prisen inkluderer mva",
    "Mva-sats (%)",
    "Beløp ekskl. mva",
    "Mva",
    "Beløp inkl. mva",
    "Bestilt",
    "Fakturert",
    "Fakturert av",
]


def booking_row(booking: Booking) -> list:
    amounts = booking.amounts
    invoiced_by = booking.invoiced_by
    return [
        booking.pk,
        booking.course_date.course.title,
        moment(booking.course_date.starts_at),
        booking.get_status_display(),
        booking.invoice_name,
        booking.orgnr,
        booking.invoice_street,
        booking.invoice_postcode,
        booking.invoice_place,
        "EHF" if booking.invoice_method == Booking.InvoiceMethod.EHF else "E-post",
        booking.invoice_email,
        booking.your_reference,
        booking.full_name,
        booking.email,
        booking.seats,
        decimal_comma(booking.unit_price),
        "ja" if booking.price_includes_vat else "nei",
        decimal_comma(booking.vat_rate),
        decimal_comma(amounts.net),
        decimal_comma(amounts.vat),
        decimal_comma(amounts.total),
        moment(booking.created_at),
        moment(booking.invoiced_at),
        (invoiced_by.get_full_name() or invoiced_by.get_username())
        if invoiced_by
        else "",
    ]


def confirmation_page(request, model_admin, queryset, **texts):
    """An intermediate page for an action that cannot be undone, like Django's
    "delete selected": the action runs when the form comes back with confirm=yes."""
    return TemplateResponse(
        request,
        "admin/courses/confirm_action.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "objects": list(queryset),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **texts,
        },
    )
