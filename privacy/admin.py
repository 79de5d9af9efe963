from django.contrib import admin

from privacy.models import ConsentRecord


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
