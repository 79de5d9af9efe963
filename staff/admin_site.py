from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.template.response import TemplateResponse
from django.urls import path

from core.hooks import Hook
from privacy.registry import registry

# What staff must be told on the admin's front page, from apps the admin may not
# import: each receiver returns a Norwegian sentence, or None when all is well
# (privacy: a restored database whose erasure journal is not replayed).
index_notices = Hook("admin_index_notices")


class StaffAdminSite(admin.AdminSite):
    """The admin, only for staff who have passed the second factor."""

    site_header = "glasoterapi.no – administrasjon"
    site_title = "glasoterapi.no"
    index_title = "Administrasjon"
    # Django's navigation column takes 275 px of every page, and the lists must
    # fit 1280 px with their filters (issue 14); the index and breadcrumbs lead
    # everywhere it does.
    enable_nav_sidebar = False
    index_template = "staff/admin_index.html"

    def has_permission(self, request):
        return super().has_permission(request) and request.user.is_verified()

    def get_urls(self):
        staff_privacy = self.admin_view(self.privacy_for_staff)
        return [
            path("personvern/", staff_privacy, name="privacy_for_staff"),
            path("oversikt/", self.admin_view(self.overview), name="staff_overview"),
            *super().get_urls(),
        ]

    def overview(self, request):
        # Here, not at the top: this module is imported while the app registry
        # is still loading (StaffAdminConfig), before the apps' models exist.
        from staff.overview import overview

        return overview(request, admin_site=self)

    def privacy_for_staff(self, request):
        """What the site keeps about staff themselves (GDPR art. 13 for employees):
        apart from the public statement, which is for visitors."""
        return TemplateResponse(
            request,
            "staff/privacy_for_staff.html",
            {
                **self.each_context(request),
                "title": "Personvern for ansatte",
                "processings": registry.processings_about(staff=True),
            },
        )

    def index(self, request, extra_context=None):
        notices = [notice for notice in index_notices() if notice]
        return super().index(request, {**(extra_context or {}), "notices": notices})


class StaffAdminConfig(AdminConfig):
    default_site = "staff.admin_site.StaffAdminSite"
