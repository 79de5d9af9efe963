from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from glasoterapi import twofactor_views, views

TWO_FACTOR = f"{settings.ADMIN_URL}2fa/"

urlpatterns = [
    path("", views.home, name="home"),
    path("helse/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("personvern/", include("privacy.urls")),
    path("nyhetsbrev/", include("privacy.newsletter_urls")),
    path("kontakt/", include("contact.urls")),
    path("kurs/", include("courses.urls")),
    path(f"{TWO_FACTOR}", twofactor_views.verify, name="two_factor_verify"),
    path(f"{TWO_FACTOR}oppsett/", twofactor_views.setup, name="two_factor_setup"),
    path(f"{TWO_FACTOR}enheter/", twofactor_views.devices, name="two_factor_devices"),
    path(
        f"{TWO_FACTOR}enheter/<str:kind>/<int:pk>/fjern/",
        twofactor_views.device_delete,
        name="two_factor_device_delete",
    ),
    path(
        f"{TWO_FACTOR}reservekoder/",
        twofactor_views.backup_codes,
        name="two_factor_backup_codes",
    ),
    # django-otp-webauthn's JSON endpoints for passkey registration and login.
    path(f"{TWO_FACTOR}passnokkel/", include("django_otp_webauthn.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
