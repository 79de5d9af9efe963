"""Bookings: moving up from the waitlist, cancelling, invoicing, the invoicing CSV."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.csv import csv_response
from core.norwegian import short_day as day_short
from core.validators import clean_orgnr
from courses import accounting, selectors, services
from courses.admin.common import (
    booking_line,
    bookings,
    cancellation_told,
    confirmation_page,
    invoicing_left_alone,
    is_set_filter,
    mail_status,
)
from courses.models import (
    CONTACT_FIELDS,
    CONTACT_PROCESSING,
    INVOICE_FIELDS,
    PARTICIPANTS_PROCESSING,
    Booking,
    Participant,
)
from courses.templatetags.course_format import moment, nok
from outbox.services import mail_kind_label
from privacy.registry import normalise_email, registry


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
        # What staff may correct on request; the rest is read-only.
        fields = [*CONTACT_FIELDS, *INVOICE_FIELDS]

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
    # What staff decide on at a glance, within 1280 px; the rest (invoice address,
    # when booked) is on the booking's page.
    list_display = [
        "number",
        "course_and_date",
        "customer",
        "seats_short",
        "status_shown",
        "total",
        "invoiced",
        "mail_status",
    ]
    list_display_links = ["number"]
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
    actions = [
        "promote",
        "cancel_bookings",
        "mark_invoiced",
        "export_csv",
        "export_tripletex",
    ]
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
        "mails",
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
            {"fields": list(CONTACT_FIELDS)},
        ),
        (
            "Faktura",
            {
                "fields": [
                    *INVOICE_FIELDS,
                    "unit_price",
                    "price_includes_vat",
                    "vat_rate",
                    "total",
                    "invoiced_at",
                    "invoiced_by",
                ]
            },
        ),
        ("E-post", {"fields": ["mails"]}),
        (
            "E-post om lignende kurs (markedsføringsloven § 15)",
            {"fields": ["newsletter_declined", "newsletter_notice_version"]},
        ),
    ]

    @admin.display(description="nr.", ordering="pk")
    def number(self, obj):
        return obj.pk

    @admin.display(description="kursdato", ordering="course_date__starts_at")
    def course_and_date(self, obj):
        course_date = obj.course_date
        return format_html(
            '{}<br><span class="nowrap">{}</span>',
            course_date.course.title,
            moment(course_date.starts_at),
        )

    @admin.display(description="kontaktperson", ordering="last_name")
    def customer(self, obj):
        name = obj.full_name or "Anonymisert"
        if not obj.organisation:
            return name
        return format_html("{}<br>{}", name, obj.organisation)

    @admin.display(description="status", ordering="status")
    def status_shown(self, obj):
        return obj.status_text

    @admin.display(description="antall", ordering="seats")
    def seats_short(self, obj):
        return obj.seats

    @admin.display(description="fakturert", ordering="invoiced_at")
    def invoiced(self, obj):
        return day_short(obj.invoiced_at) or "–"

    @admin.display(description="e-post")
    def mail_status(self, obj):
        return mail_status(obj)

    @admin.display(description="e-post om påmeldingen")
    def mails(self, obj):
        """Each mail about the booking and whether it went out; Kurs sees these
        here, not the outbox (which holds everyone's mail)."""
        rows = [
            (
                mail_kind_label(mail.kind),
                mail.to or "–",
                mail.get_status_display(),
                moment(mail.created_at),
                moment(mail.sent_at) or "–",
            )
            for mail in selectors.booking_mails(booking=obj)
        ]
        if not rows:
            return (
                "Ingen e-post (sendt e-post slettes etter "
                f"{settings.MAIL_RETENTION_DAYS} dager)."
            )
        return format_html(
            '<table class="booking-mails"><thead><tr><th>Type</th><th>Til</th>'
            "<th>Status</th><th>Laget</th><th>Sendt</th></tr></thead><tbody>{}"
            "</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )

    def get_queryset(self, request):
        return selectors.bookings_with_mail_status(super().get_queryset(request))

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
            selected = queryset.select_related("course_date__course").order_by(
                "created_at", "pk"
            )
            return confirmation_page(
                request,
                self,
                queryset,
                items=[(booking_line(booking), []) for booking in selected],
                action="cancel_bookings",
                title="Avbestille påmeldingene?",
                explanation="Påmeldingene blir avbestilt for alle deltakerne, den "
                "som meldte på får e-post, og ledige plasser går til ventelisten "
                "(de som får plass, får e-post). En fakturert påmelding kan trenge "
                "en kreditnota.",
                button="Ja, avbestill",
            )
        result = services.bookings_cancel(
            booking_ids=list(queryset.values_list("pk", flat=True)), by=request.user
        )
        self.message_user(request, cancellation_told(result), messages.SUCCESS)
        if result.already_cancelled:
            self.message_user(
                request,
                f"{bookings(result.already_cancelled)} var avbestilt fra før og "
                "ble ikke endret.",
                messages.WARNING,
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
        rows = [accounting.accounting_row(booking) for booking in for_export(queryset)]
        return csv_response(
            exported_by=request.user,
            what="Kurspåmeldinger til regnskap",
            filename=f"kurspameldinger-{timezone.localdate():%Y-%m-%d}.csv",
            header=accounting.ACCOUNTING_HEADER,
            rows=rows,
        )

    @admin.action(
        description="Eksporter valgte til Tripletex (ordreimport, CSV)",
        permissions=["view"],
    )
    def export_tripletex(self, request, queryset):
        selected = list(for_export(queryset))
        refusals = accounting.tripletex_refusals(selected)
        if refusals:
            # No file at all rather than one that leaves a sale out unseen.
            for refusal in refusals:
                self.message_user(request, refusal, messages.ERROR)
            self.message_user(
                request,
                "Ingen fil er laget. Velg bare bekreftede påmeldinger som ikke er "
                "fakturert.",
                messages.WARNING,
            )
            return None
        return csv_response(
            exported_by=request.user,
            what="Kurspåmeldinger til Tripletex",
            filename=f"tripletex-ordre-{timezone.localdate():%Y-%m-%d}.csv",
            header=accounting.TRIPLETEX_HEADER,
            rows=[accounting.tripletex_row(booking) for booking in selected],
        )


def for_export(queryset):
    return queryset.select_related("course_date__course", "invoiced_by").order_by("pk")
