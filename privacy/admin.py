from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from privacy.forms import RightsStartForm
from privacy.models import (
    AccessAudit,
    ConsentRecord,
    DataSubjectRequest,
)
from privacy.rights_views import export_download
from privacy.ropa import ropa_markdown
from privacy.services.audit import access_audit_record
from privacy.services.rights import (
    erasure_request_handle,
    is_restricted,
    request_record,
    subject_erasure_foreseen,
    subject_object_to_marketing,
    subject_records,
    subject_restrict,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are proof or audit: staff read them; nobody adds,
    changes or deletes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    """The ledger is proof: staff can read it, nobody can add, change or delete."""

    list_display = [
        "created_at",
        "purpose",
        "action",
        "categories",
        "source",
        "revision",
    ]
    list_filter = ["action", "purpose", "source", "created_at"]
    search_fields = ["consent_id"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ConsentRecord._meta.fields]


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    """The queue of requests, oldest deadline first; staff can also act for a person
    who wrote or phoned (after verifying who they are), with the same services as
    the self-service pages."""

    list_display = [
        "__str__",
        "kind",
        "status",
        "channel",
        "received_at",
        "due",
        "handled_by",
    ]
    list_filter = ["status", "kind", "channel"]
    ordering = ["status", "due_at"]
    readonly_fields = [
        "kind",
        "channel",
        "subject_key",
        "processings",
        "details",
        "received_at",
        "due_at",
        "handled_at",
        "handled_by",
    ]
    fields = [*readonly_fields, "status", "outcome"]
    change_list_template = "admin/privacy/datasubjectrequest/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Frist", ordering="due_at")
    def due(self, obj):
        overdue = (
            obj.status == DataSubjectRequest.Status.OPEN and obj.due_at < timezone.now()
        )
        text = date_format(timezone.localtime(obj.due_at), "DATE_FORMAT")
        return format_html("<strong>{} – forfalt</strong>", text) if overdue else text

    def save_model(self, request, obj, form, change):
        if obj.status != DataSubjectRequest.Status.OPEN and obj.handled_at is None:
            obj.handled_at = timezone.now()
            obj.handled_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "person/",
                self.admin_site.admin_view(self.act_for_person),
                name="privacy_act_for_person",
            ),
            path(
                "behandlingsprotokoll/",
                self.admin_site.admin_view(self.record_of_processing),
                name="privacy_ropa",
            ),
            *super().get_urls(),
        ]

    def act_for_person(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = RightsStartForm(request.POST or None)
        email = form.cleaned_data["email"] if form.is_valid() else None
        if email and request.method == "POST":
            response = self.perform_for_person(request, email, request.POST.get("do"))
            if response is not None:
                return response
        context = {
            **self.admin_site.each_context(request),
            "title": "Finn og behandle opplysninger om en person",
            "form": form,
            "email": email,
            "found": subject_records(email=email) if email else [],
            "restricted": bool(email) and is_restricted(email),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/act_for_person.html", context)

    def perform_for_person(self, request, email, action):
        Kind = DataSubjectRequest.Kind
        staff = {
            "channel": DataSubjectRequest.Channel.STAFF,
            "done": True,
            "by": request.user,
        }
        if action == "export":
            logged = request_record(kind=Kind.ACCESS, email=email, **staff)
            access_audit_record(
                user=request.user,
                what=f"Innsyn for en person (henvendelse #{logged.pk})",
                rows=sum(logged.processings.values()),
            )
            return export_download(email)
        if action == "erase":
            if request.POST.get("confirm") != "yes":
                return self.erase_confirmation(request, email)
            report = erasure_request_handle(
                email=email, channel=DataSubjectRequest.Channel.STAFF, by=request.user
            )
            self.message_user(request, report.summary())
            for follow_up in report.follow_up:
                self.message_user(request, follow_up, messages.WARNING)
        elif action == "restrict":
            subject_restrict(email=email)
            request_record(kind=Kind.RESTRICTION, email=email, **staff)
            self.message_user(request, "Bruken er begrenset.")
        elif action == "object":
            subject_object_to_marketing(email=email)
            request_record(kind=Kind.OBJECTION, email=email, **staff)
            self.message_user(
                request, "Meldt av markedsføring og satt på sperrelisten."
            )
        else:
            return None
        # Done: back to an empty search, so that a reload repeats nothing.
        return HttpResponseRedirect(request.path)

    def erase_confirmation(self, request, email):
        """Erasure cannot be undone: staff see what goes and what stays first."""
        context = {
            **self.admin_site.each_context(request),
            "title": "Slette opplysningene om en person?",
            "email": email,
            "found": subject_records(email=email),
            "consequences": subject_erasure_foreseen(email=email),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/confirm_erase.html", context)

    def record_of_processing(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "Protokoll over behandlingsaktiviteter",
            "ropa": ropa_markdown(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/privacy/ropa.html", context)


@admin.register(AccessAudit)
class AccessAuditAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "what", "rows"]
    list_filter = ["at", "user"]
    date_hierarchy = "at"
