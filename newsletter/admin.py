from django.contrib import admin, messages

from core.csv import csv_response
from newsletter.models import NewsletterIssue, NewsletterSuppression, Subscriber
from newsletter.services import (
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


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "status",
        "created_at",
        "send_started_at",
        "queued_count",
    ]
    readonly_fields = ["status", "send_started_at", "queued_count"]
    actions = ["preview_to_me", "send_to_subscribers"]

    @admin.action(description="Send en forhåndsvisning til meg")
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
            f"Forhåndsvisning sendt til {request.user.email}.",
            messages.SUCCESS,
        )

    @admin.action(description="Send til alle aktive abonnenter", permissions=["change"])
    def send_to_subscribers(self, request, queryset):
        for issue in queryset:
            queued = newsletter_issue_send(issue=issue)
            self.message_user(
                request,
                f"«{issue.subject}» er lagt i kø til {queued} abonnenter.",
                messages.SUCCESS,
            )
