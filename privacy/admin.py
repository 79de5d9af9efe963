from django.contrib import admin, messages
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from core import norwegian
from privacy.forms import AnswerForm, CorrectionForm, RightsStartForm
from privacy.models import (
    AccessAudit,
    ConsentRecord,
    DataSubjectRequest,
)
from privacy.registry import email_key
from privacy.rights_views import export_download
from privacy.ropa import ropa_markdown
from privacy.services.audit import access_audit_record
from privacy.services.requests import (
    named_processing,
    record_owners,
    request_concerns,
    request_correct,
    request_correctable,
    request_named_record,
)
from privacy.services.rights import (
    COPY_KINDS,
    access_request_answer,
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
    the self-service pages.

    Nothing on a request's page is edited in place: a correction and the answer
    that closes it each have a form of their own, done by a service."""

    # Few, narrow columns, so that the deadline stays in sight at 1280 px beside
    # the navigation and the filters (the channel is a filter).
    list_display = ["request_title", "status", "received", "due"]
    list_filter = ["status", "kind", "channel"]
    ordering = ["status", "due_at"]
    readonly_fields = [
        "kind",
        "status",
        "channel",
        "requester",
        "details",
        "received_at",
        "due_at",
        "handled_at",
        "handled_by",
        "outcome",
        "answer",
    ]
    fields = readonly_fields
    change_list_template = "admin/privacy/datasubjectrequest/change_list.html"
    change_form_template = "admin/privacy/datasubjectrequest/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Henvendelse", ordering="kind")
    def request_title(self, obj):
        return str(obj)

    @admin.display(description="Mottatt", ordering="received_at")
    def received(self, obj):
        return date_format(timezone.localtime(obj.received_at), "DATE_FORMAT")

    @admin.display(description="Frist", ordering="due_at")
    def due(self, obj):
        overdue = (
            obj.status == DataSubjectRequest.Status.OPEN and obj.due_at < timezone.now()
        )
        text = date_format(timezone.localtime(obj.due_at), "DATE_FORMAT")
        return format_html("<strong>{} – forfalt</strong>", text) if overdue else text

    @admin.display(description="Hvem som spurte")
    def requester(self, obj):
        if obj.email:
            return obj.email
        return "Adressen er slettet (bare nøkkelen er igjen)"

    def save_model(self, request, obj, form, change):
        """Nothing to save: every field is read-only (see the class)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **(extra_context or {}),
        }
        if obj is not None:
            context.update(self.handling_context(request, obj))
        return super().change_view(request, object_id, form_url, context)

    def handling_context(self, request, obj, correction_form=None):
        """What a request's page shows beyond its fields: the records it concerns
        (linked where this staff member may open them) and how to correct and
        answer it."""
        correctable = request_correctable(request=obj)
        processing = named_processing(obj)
        owners = []
        if processing is not None and not correctable and obj.record_id is not None:
            owners = record_owners(model=processing.model)
        return {
            "concerns": [
                self.concern_view(request, concern)
                for concern in request_concerns(request=obj)
            ],
            "named_processing": processing,
            "correctable": correctable,
            "correction_form": correction_form
            or CorrectionForm(correctable=correctable),
            "owners": owners,
            "record_exists": request_named_record(request=obj) is not None,
            "may_handle": self.has_change_permission(request, obj),
        }

    def concern_view(self, request, concern):
        model = concern.processing.model
        pks = list(concern.pks)
        if concern.named is not None and concern.named not in pks:
            pks.append(concern.named)
        return {
            "purpose": concern.processing.purpose,
            "count": concern.count,
            "records": [
                {
                    "pk": pk,
                    "url": self.record_url(request, model, pk),
                    "named": pk == concern.named,
                }
                for pk in pks
            ],
        }

    def record_url(self, request, model, pk) -> str | None:
        """The record's page in admin, if this staff member may view it."""
        try:
            model_admin = self.admin_site.get_model_admin(model)
        except admin.sites.NotRegistered:
            return None
        if not model_admin.has_view_permission(request):
            return None
        return reverse(
            admin_urlname(model._meta, "change"),
            args=[pk],
            current_app=self.admin_site.name,
        )

    def correct(self, request, object_id):
        obj = self.handled_object(request, object_id)
        correctable = request_correctable(request=obj)
        form = CorrectionForm(request.POST or None, correctable=correctable)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    request_correct(
                        request=obj,
                        field=form.cleaned_data["field"],
                        value=form.cleaned_data["value"],
                        by=request.user,
                    )
                except ValidationError as error:
                    form.add_error("value", error)
                else:
                    self.message_user(
                        request,
                        "Opplysningen er rettet. Svar personen når alt er gjort.",
                    )
                    return HttpResponseRedirect(self.change_url(obj))
            status = 400
        context = {
            **self.admin_site.each_context(request),
            **self.handling_context(request, obj, correction_form=form),
            "title": "Rett opplysningen",
            "original": obj,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request,
            "admin/privacy/datasubjectrequest/correct.html",
            context,
            status=status,
        )

    def answer(self, request, object_id):
        obj = self.handled_object(request, object_id)
        copy_possible = bool(obj.email) and obj.kind in COPY_KINDS
        form = AnswerForm(request.POST or None, copy_possible=copy_possible)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    access_request_answer(
                        request=obj,
                        status=form.cleaned_data["status"],
                        answer=form.cleaned_data["answer"],
                        by=request.user,
                        attach_copy=form.cleaned_data.get("attach_copy", False),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        "Henvendelsen er lukket. Svaret er lagt i køen for e-post "
                        "til personen, og adressen er slettet fra henvendelsen."
                        if obj.email
                        else "Henvendelsen er lukket.",
                    )
                    return HttpResponseRedirect(self.change_url(obj))
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "title": f"Svar og lukk: {obj}",
            "original": obj,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request,
            "admin/privacy/datasubjectrequest/answer.html",
            context,
            status=status,
        )

    def handled_object(self, request, object_id) -> DataSubjectRequest:
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def change_url(self, obj) -> str:
        return reverse(
            admin_urlname(self.model._meta, "change"),
            args=[obj.pk],
            current_app=self.admin_site.name,
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/rett/",
                self.admin_site.admin_view(self.correct),
                name="privacy_request_correct",
            ),
            path(
                "<int:object_id>/svar/",
                self.admin_site.admin_view(self.answer),
                name="privacy_request_answer",
            ),
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
        if action == "register_access":
            already = DataSubjectRequest.objects.filter(
                kind=Kind.ACCESS,
                status=DataSubjectRequest.Status.OPEN,
                subject_key=email_key(email),
            ).first()
            if already is not None:
                # A double click or a second tab: one request, answered once.
                self.message_user(
                    request,
                    "Et krav om innsyn fra denne personen er allerede registrert og "
                    "ikke besvart ennå. Svar personen herfra.",
                    messages.WARNING,
                )
                return HttpResponseRedirect(self.change_url(already))
            logged = request_record(
                kind=Kind.ACCESS, email=email, channel=staff["channel"], done=False
            )
            self.message_user(
                request,
                f"Kravet om innsyn er registrert, med frist "
                f"{norwegian.day(timezone.localdate(logged.due_at))}. Svar personen "
                "herfra når du har sett over opplysningene.",
            )
            return HttpResponseRedirect(self.change_url(logged))
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
