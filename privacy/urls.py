from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_statement, name="statement"),
    path("informasjonskapsler/", views.cookie_settings, name="cookie_settings"),
]
