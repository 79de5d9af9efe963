import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from contact import services
from contact.forms import (
    VISITOR_FIELDS,
    InquiryAdminForm,
    InquiryRectifyForm,
    normalise_phone,
    phone_display,
)
from contact.models import Inquiry, InquiryNote
from core.csv import csv_response
from core.norwegian import count, spreadsheet_moment
from core.validators import brreg_url

logger = logging.getLogger(__name__)


class StaffChoiceField(forms.ModelChoiceField):
    """Staff by their full name, as notes name their author."""

    def label_from_instance(self, obj):
        return services.display_name(obj)


class AssigneeFilter(admin.RelatedOnlyFieldListFilter):
    def field_choices(self, field, request, model_admin):
        users = get_user_model().objects.filter(
            pk__in=model_admin.get_queryset(request)
            .exclude(assigned_to=None)
            .values("assigned_to")
        )
        return sorted(
            ((user.pk, services.display_name(user)) for user in users),
            key=lambda choice: choice[1],
        )


def inquiries(number: int) -> str:
    return count(number, "henvendelse", "henvendelser")


class InquiryNoteInline(admin.TabularInline):
    """The follow-up history, read-only: notes are never edited or deleted."""

    model = InquiryNote
    fields = ["created_at", "author_name", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Oppfølgingshistorikk"

    # The name, not a link: Salg may not open the user admin (it would lead to
    # "Ingen tilgang").
    @admin.display(description="skrevet av")
    def author_name(self, obj):
        return services.display_name(obj.author) if obj.author else "–"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class NewInquiryNoteInline(admin.StackedInline):
    """One empty note to add to the history; saved with the author by a service."""

    model = InquiryNote
    fields = ["text"]
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = "nytt notat"
    verbose_name_plural = "Nytt notat"

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    form = InquiryAdminForm
    # Within 1280 px: the company under the name, so that assignee and age fit.
    list_display = ["name", "email", "status", "assignee", "age"]
    list_filter = [
        "status",
        ("assigned_to", AssigneeFilter),
        "created_at",
    ]
    search_fields = ["first_name", "last_name", "email", "company", "phone"]
    date_hierarchy = "created_at"
    list_select_related = ["assigned_to"]
    actions = ["assign_to_me", "mark_answered", "close", "export_csv"]
    inlines = [InquiryNoteInline, NewInquiryNoteInline]
    readonly_fields = [
        *VISITOR_FIELDS,
        "created_at",
        "updated_at",
        "closed_at",
        "brreg_link",
        "orgnr_supplement",
    ]
    fieldsets = [
        (
            "Fra kontaktskjemaet",
            {
                "fields": [*VISITOR_FIELDS, "created_at"],
                "description": "Det den besøkende skrev. Kan bare endres når den "
                "besøkende ber om det: bruk «Rett opplysninger» øverst.",
            },
        ),
        (
            "Oppfølging",
            {"fields": ["status", "assigned_to", "updated_at", "closed_at"]},
        ),
        (
            "Offentlig tilgjengelig informasjon (supplert av ansatt)",
            {
                "fields": ["orgnr", "brreg_link", "orgnr_supplement"],
                "description": "Organisasjonsnummer slått opp i Enhetsregisteret.",
            },
        ),
    ]

    @admin.display(description="navn og firma", ordering="last_name")
    def name(self, obj):
        if not obj.company:
            return obj.full_name
        return format_html("{}<br>{}", obj.full_name, obj.company)

    @admin.display(description="ansvarlig", ordering="assigned_to__first_name")
    def assignee(self, obj):
        return services.display_name(obj.assigned_to) if obj.assigned_to else "–"

    @admin.display(description="alder", ordering="created_at")
    def age(self, obj):
        return timesince(obj.created_at, depth=1)

    @admin.display(description="i Enhetsregisteret")
    def brreg_link(self, obj):
        if not obj.orgnr:
            return "–"
        return format_html(
            '<a href="{}" rel="noopener noreferrer">Åpne {} i Enhetsregisteret</a>',
            brreg_url(obj.orgnr),
            obj.orgnr,
        )

    @admin.display(description="supplert av ansatt")
    def orgnr_supplement(self, obj):
        if not obj.orgnr_added_at:
            return "–"
        who = services.display_name(obj.orgnr_added_by) if obj.orgnr_added_by else "–"
        return f"{who}, {spreadsheet_moment(obj.orgnr_added_at)}"

    def has_add_permission(self, request):
        return False  # inquiries come from the contact form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = get_user_model().objects.filter(
                is_staff=True, is_active=True
            )
            kwargs["form_class"] = StaffChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Also find a phone number however it is typed: stored as +4791234567."""
        results, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        try:
            phone = normalise_phone(search_term)
        except ValueError:
            return results, may_have_duplicates
        return results | queryset.filter(phone=phone), may_have_duplicates

    def save_model(self, request, obj, form, change):
        """Staff's changes go through the services, which stamp times and write
        the history."""
        data = form.cleaned_data
        if "orgnr" in form.changed_data:
            services.inquiry_supplement_orgnr(
                inquiry=obj, orgnr=data["orgnr"], by=request.user
            )
        if "assigned_to" in form.changed_data:
            services.inquiry_assign(
                inquiry=obj, to=data["assigned_to"], by=request.user
            )
        if "status" in form.changed_data:
            services.inquiry_set_status(
                inquiry=obj, status=Inquiry.Status(data["status"]), by=request.user
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is not InquiryNote:
            return super().save_formset(request, form, formset, change)
        # Read by the admin's change message, like ModelFormSet.save() sets them.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        for note_form in formset.extra_forms:
            text = note_form.cleaned_data.get("text", "").strip()
            if note_form.has_changed() and text:
                formset.new_objects.append(
                    services.inquiry_note_add(
                        inquiry=form.instance, author=request.user, text=text
                    )
                )
        return None

    # Actions ------------------------------------------------------------------

    @admin.action(description="Tildel meg", permissions=["change"])
    def assign_to_me(self, request, queryset):
        for inquiry in queryset:
            services.inquiry_assign(inquiry=inquiry, to=request.user, by=request.user)
        self.message_user(
            request, f"{inquiries(len(queryset))} er tildelt deg.", messages.SUCCESS
        )

    @admin.action(description="Merk som besvart", permissions=["change"])
    def mark_answered(self, request, queryset):
        for inquiry in queryset:
            services.inquiry_mark_answered(inquiry=inquiry, by=request.user)
        self.message_user(
            request,
            f"{inquiries(len(queryset))} er merket som besvart.",
            messages.SUCCESS,
        )

    @admin.action(description="Lukk", permissions=["change"])
    def close(self, request, queryset):
        for inquiry in queryset:
            services.inquiry_close(inquiry=inquiry, by=request.user)
        self.message_user(
            request, f"{inquiries(len(queryset))} er lukket.", messages.SUCCESS
        )

    @admin.action(description="Eksporter valgte til CSV (Excel)", permissions=["view"])
    def export_csv(self, request, queryset):
        rows = [
            [
                inquiry.pk,
                spreadsheet_moment(inquiry.created_at),
                inquiry.first_name,
                inquiry.last_name,
                inquiry.email,
                phone_display(inquiry.phone),
                inquiry.company,
                inquiry.orgnr,
                inquiry.get_status_display(),
                services.display_name(inquiry.assigned_to)
                if inquiry.assigned_to
                else "",
                spreadsheet_moment(inquiry.closed_at),
                inquiry.message,
            ]
            for inquiry in queryset.select_related("assigned_to").order_by("pk")
        ]
        logger.info("event=inquiry_export count=%s user=%s", len(rows), request.user.pk)
        return csv_response(
            exported_by=request.user,
            what="Henvendelser (kontaktskjema)",
            filename=f"henvendelser-{timezone.localdate():%Y-%m-%d}.csv",
            header=[
                "Nr.",
                "Mottatt",
                "Fornavn",
                "Etternavn",
                "E-postadresse",
                "Telefon",
                "Firma eller tilknytning",
                "Organisasjonsnummer",
                "Status",
                "Ansvarlig",
                "Lukket",
                "Melding",
            ],
            rows=rows,
        )

    # Rectification on request -------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/rett/",
                self.admin_site.admin_view(self.rectify_view),
                name="contact_inquiry_rectify",
            ),
            *super().get_urls(),
        ]

    def rectify_view(self, request, object_id):
        """Correct what the visitor typed, when the visitor asks (GDPR art. 16)."""
        inquiry = self.get_object(request, unquote(object_id))
        if inquiry is None:
            raise Http404
        if not self.has_change_permission(request, inquiry):
            raise PermissionDenied
        form = InquiryRectifyForm(request.POST or None, instance=inquiry)
        if request.method == "POST" and form.is_valid():
            services.inquiry_rectify(
                inquiry=inquiry,
                changes={name: form.cleaned_data[name] for name in VISITOR_FIELDS},
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            self.log_change(request, inquiry, "Rettet på forespørsel.")
            self.message_user(request, "Opplysningene er rettet.", messages.SUCCESS)
            return redirect(reverse("admin:contact_inquiry_change", args=[inquiry.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": "Rett opplysninger på forespørsel",
            "subtitle": str(inquiry),
            "opts": self.opts,
            "original": inquiry,
            "form": form,
        }
        return TemplateResponse(request, "admin/contact/inquiry/rectify.html", context)
