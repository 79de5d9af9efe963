"""The staff login's second step and each staff member's own devices, under
ADMIN_URL + "2fa/" (the middleware lets unverified staff reach them)."""

from django.urls import include, path

from staff import views

urlpatterns = [
    path("", views.verify, name="two_factor_verify"),
    path("oppsett/", views.setup, name="two_factor_setup"),
    path("enheter/", views.devices, name="two_factor_devices"),
    path(
        "enheter/<str:kind>/<int:pk>/fjern/",
        views.device_delete,
        name="two_factor_device_delete",
    ),
    path(
        "reservekoder/",
        views.backup_codes,
        name="two_factor_backup_codes",
    ),
    # django-otp-webauthn's JSON endpoints for passkey registration and login.
    path("passnokkel/", include("django_otp_webauthn.urls")),
]
