from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.csv import csv_response
from core.norwegian import count
from newsletter import selectors
from newsletter.models import NewsletterIssue, NewsletterSuppression, Subscriber
from newsletter.services import (
    NewsletterAlreadySent,
    issue_preview_render,
    newsletter_issue_preview,
    newsletter_issue_send,
    subscription_request,
)
from privacy.registry import normalise_email


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Staff cannot make anyone an active subscriber: adding one sends the
    confirmation mail, and only the person's own click activates it."""

    list_display = [
        "name",
        "email",
        "status",
        "basis",
        "source",
        "created_at",
        "confirmed_at",
    ]
    list_filter = ["status", "basis", "source", "created_at"]
    search_fields = ["name", "email"]
    date_hierarchy = "created_at"
    actions = ["export_active_csv"]
    fields = ["name", "email"]
    SUBSCRIBER_READONLY = [
        "status",
        "basis",
        "source",
        "consent_text_version",
        "created_at",
        "confirmation_sent_at",
        "confirmed_at",
        "restricted_at",
    ]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.SUBSCRIBER_READONLY]

    def get_readonly_fields(self, request, obj=None):
        # The address is the person's own: changed only on their request (GDPR
        # art. 16), by correcting it here.
        return [] if obj is None else self.SUBSCRIBER_READONLY

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        subscription_request(
            name=obj.name, email=obj.email, source=Subscriber.Source.ADMIN
        )
        obj.pk = Subscriber.objects.get(email=normalise_email(obj.email)).pk
        self.message_user(
            request,
            "Vi har sendt en e-post med bekreftelseslenke. Abonnementet blir aktivt "
            "først når mottakeren selv bekrefter.",
            messages.INFO,
        )

    @admin.action(description="Last ned aktive abonnenter (CSV)", permissions=["view"])
    def export_active_csv(self, request, queryset):
        active = queryset.filter(status=Subscriber.Status.ACTIVE).order_by("created_at")
        return csv_response(
            exported_by=request.user,
            what="Aktive abonnenter på nyhetsbrevet",
            filename="abonnenter.csv",
            header=["Navn", "E-post", "Grunnlag", "Kilde", "Påmeldt", "Bekreftet"],
            rows=(
                [
                    s.name,
                    s.email,
                    s.get_basis_display(),
                    s.get_source_display(),
                    s.created_at,
                    s.confirmed_at,
                ]
                for s in active
            ),
        )


@admin.register(NewsletterSuppression)
class NewsletterSuppressionAdmin(admin.ModelAdmin):
    list_display = ["created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# The issue's HTML as a subscriber gets it, inside a sandboxed frame on the preview
# page: whatever staff pasted in, no script runs and no form submits, and it loads
# nothing but images (as a mail client would) and its own inline styles (mail HTML
# is styled inline). Only this site may frame it.
PREVIEW_CSP = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": [SELF, "data:", "https:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [SELF],
    "sandbox": [""],
}


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    """Write a draft, preview it, send a test to oneself, choose who gets it, then
    send it once (a confirmation page with the count) and follow the outbox's
    progress on its page. A queued issue is read-only and stays."""

    # Narrow enough for a phone: the dates and the full audience are on the page.
    list_display = ["subject", "audience_short", "progress"]
    list_display_links = ["subject"]
    radio_fields = {"audience": admin.VERTICAL}
    actions = ["preview_to_me"]
    DRAFT_FIELDS = ["subject", "audience", "body_text", "body_html"]
    # The progress is shown above these, in full.
    QUEUED_FIELDS = ["subject", "audience", "send_started_at", "body_text", "body_html"]
    readonly_fields = ["send_started_at", "progress"]

    def is_draft(self, obj) -> bool:
        return obj is None or obj.status == NewsletterIssue.Status.DRAFT

    def get_fields(self, request, obj=None):
        return self.DRAFT_FIELDS if self.is_draft(obj) else self.QUEUED_FIELDS

    def has_change_permission(self, request, obj=None):
        # Once queueing has started, the issue is what its recipients got.
        return super().has_change_permission(request, obj) and self.is_draft(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.is_draft(obj)

    def get_actions(self, request):
        # "Delete selected" asks no one whether an issue was sent: drafts are
        # deleted from their own page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "audience" in form.base_fields:
            counts = selectors.audience_counts()
            form.base_fields["audience"].choices = [
                (value, f"{label} ({counts.of(value)})")
                for value, label in NewsletterIssue.Audience.choices
            ]
            form.base_fields["audience"].help_text = (
                "Tallet er hvor mange som får nyhetsbrevet nå. Du ser det igjen, og "
                "bekrefter, før noe sendes."
            )
        return form

    AUDIENCE_SHORT = {
        NewsletterIssue.Audience.CONSENT: "Påmeldte",
        NewsletterIssue.Audience.CUSTOMERS: "Kunder",
        NewsletterIssue.Audience.BOTH: "Begge",
    }

    @admin.display(description="mottakere", ordering="audience")
    def audience_short(self, obj):
        return self.AUDIENCE_SHORT[obj.audience]

    @admin.display(description="utsending")
    def progress(self, obj):
        progress = selectors.issue_progress(issue=obj)
        if progress is None:
            return obj.get_status_display()
        return progress.summary()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/forhandsvisning/",
                view(self.preview_view),
                name="newsletter_newsletterissue_preview",
            ),
            path(
                "<path:object_id>/forhandsvisning/html/",
                view(self.preview_html_view),
                name="newsletter_newsletterissue_preview_html",
            ),
            path(
                "<path:object_id>/send/",
                view(self.send_view),
                name="newsletter_newsletterissue_send",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, unquote(object_id))
        extra_context = {
            **(extra_context or {}),
            "may_send": issue is not None
            and issue.status != NewsletterIssue.Status.SENT
            and request.user.has_perm("newsletter.send_newsletterissue"),
            "progress": issue and selectors.issue_progress(issue=issue),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def viewable_issue(self, request, object_id) -> NewsletterIssue:
        issue = self.get_object(request, unquote(object_id))
        if issue is None:
            raise Http404
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return issue

    # Preview and test mail ----------------------------------------------------

    def preview_view(self, request, object_id):
        issue = self.viewable_issue(request, object_id)
        as_customer = request.GET.get("som") == "kunde"
        if request.method == "POST":
            return self.send_test(request, issue, as_customer=as_customer)
        mail = issue_preview_render(
            issue=issue, to=request.user.email or "deg@example.no", customer=as_customer
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Forhåndsvisning",
            "subtitle": issue.subject,
            "opts": self.opts,
            "original": issue,
            "mail": mail,
            "as_customer": as_customer,
            "html_url": reverse(
                "admin:newsletter_newsletterissue_preview_html", args=[issue.pk]
            )
            + ("?som=kunde" if as_customer else ""),
        }
        return TemplateResponse(
            request, "admin/newsletter/newsletterissue/preview.html", context
        )

    def send_test(self, request, issue, *, as_customer: bool):
        back = reverse("admin:newsletter_newsletterissue_preview", args=[issue.pk])
        if not request.user.email:
            self.message_user(
                request,
                "Brukeren din har ingen e-postadresse. Legg den inn under brukeren "
                "din, så kan du sende en test til deg selv.",
                messages.ERROR,
            )
            return redirect(back)
        newsletter_issue_preview(
            issue=issue, to=request.user.email, customer=as_customer
        )
        self.message_user(
            request,
            f"En test er lagt i kø til {request.user.email}. Den kommer fram når "
            "utboksen har sendt den, vanligvis i løpet av et minutt.",
            messages.SUCCESS,
        )
        return redirect(back)

    def preview_html_view(self, request, object_id):
        issue = self.viewable_issue(request, object_id)
        mail = issue_preview_render(
            issue=issue,
            to=request.user.email or "deg@example.no",
            customer=request.GET.get("som") == "kunde",
        )
        response = HttpResponse(mail.body_html)
        # Only inside the preview page's frame, and under a policy of its own.
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_config = PREVIEW_CSP
        return response

    @admin.action(description="Send en test av nyhetsbrevet til meg")
    def preview_to_me(self, request, queryset):
        if not request.user.email:
            self.message_user(
                request, "Brukeren din har ingen e-postadresse.", messages.ERROR
            )
            return
        for issue in queryset:
            newsletter_issue_preview(issue=issue, to=request.user.email)
        self.message_user(
            request,
            f"{count(len(queryset), 'test', 'tester')} er lagt i kø til "
            f"{request.user.email}.",
            messages.SUCCESS,
        )

    # Sending --------------------------------------------------------------------

    def send_view(self, request, object_id):
        """The second page: who and how many, then one POST that queues it."""
        issue = self.viewable_issue(request, object_id)
        if not request.user.has_perm("newsletter.send_newsletterissue"):
            raise PermissionDenied
        issue_url = reverse("admin:newsletter_newsletterissue_change", args=[issue.pk])
        if issue.status == NewsletterIssue.Status.SENT:
            self.message_user(
                request, str(NewsletterAlreadySent(issue)), messages.WARNING
            )
            return redirect(issue_url)
        counts = selectors.audience_counts()
        if request.method == "POST":
            if request.POST.get("audience") != issue.audience:
                # Someone changed the draft since this page was shown.
                self.message_user(
                    request,
                    "Mottakerne er endret siden siden ble vist. Se over og bekreft "
                    "på nytt.",
                    messages.WARNING,
                )
                return redirect(request.path)
            return self.send(request, issue, issue_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Sende «{issue.subject}»?",
            "opts": self.opts,
            "original": issue,
            "recipients": counts.of(issue.audience),
            "recipients_described": counts.describe(issue.audience),
            "progress": selectors.issue_progress(issue=issue),
        }
        return TemplateResponse(
            request, "admin/newsletter/newsletterissue/send.html", context
        )

    def send(self, request, issue, issue_url):
        try:
            queued = newsletter_issue_send(issue=issue)
        except NewsletterAlreadySent as refused:
            self.message_user(request, str(refused), messages.WARNING)
            return redirect(issue_url)
        self.log_change(request, issue, f"Lagt i kø til {queued} mottakere.")
        self.message_user(
            request,
            f"«{issue.subject}» er lagt i kø til "
            f"{selectors.recipients_in_words(queued)}. Utboksen sender e-postene "
            "i løpet av noen minutter; her ser du hvor mange som er sendt.",
            messages.SUCCESS,
        )
        return redirect(issue_url)
