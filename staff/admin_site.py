from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class StaffAdminSite(admin.AdminSite):
    """The admin, only for staff who have passed the second factor."""

    site_header = "glasoterapi.no – administrasjon"
    site_title = "glasoterapi.no"
    index_title = "Administrasjon"

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()


class StaffAdminConfig(AdminConfig):
    default_site = "staff.admin_site.StaffAdminSite"
