from django.contrib import admin, messages

from outbox.models import OutgoingEmail
from outbox.services import MAIL_KINDS, email_retry, mail_kind_label


class KindFilter(admin.SimpleListFilter):
    title = "type"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return sorted(MAIL_KINDS.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = [
        "kind_label",
        "to",
        "subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", KindFilter, "created_at"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]

    @admin.display(description="type", ordering="kind")
    def kind_label(self, email):
        return mail_kind_label(email.kind)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send valgte e-poster på nytt", permissions=["view"])
    def retry(self, request, queryset):
        failed = queryset.filter(status=OutgoingEmail.Status.FAILED)
        for email in failed:
            email_retry(email=email)
        self.message_user(
            request, f"{len(failed)} e-poster lagt i kø igjen.", messages.SUCCESS
        )
