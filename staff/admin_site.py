from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from core.hooks import Hook

# What staff must be told on the admin's front page, from apps the admin may not
# import: each receiver returns a Norwegian sentence, or None when all is well
# (privacy: a restored database whose erasure journal is not replayed).
index_notices = Hook("admin_index_notices")


class StaffAdminSite(admin.AdminSite):
    """The admin, only for staff who have passed the second factor."""

    site_header = "glasoterapi.no – administrasjon"
    site_title = "glasoterapi.no"
    index_title = "Administrasjon"
    index_template = "staff/admin_index.html"

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def index(self, request, extra_context=None):
        notices = [notice for notice in index_notices() if notice]
        return super().index(request, {**(extra_context or {}), "notices": notices})


class StaffAdminConfig(AdminConfig):
    default_site = "staff.admin_site.StaffAdminSite"
