from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("avbestill/<str:token>/", views.booking_cancel, name="booking_cancel"),
    path("bekreft-plass/<str:token>/", views.booking_offer, name="booking_offer"),
    path("<slug:slug>/", views.course_detail, name="course_detail"),
    path("<slug:slug>/<int:date_id>/pamelding/", views.signup, name="signup"),
    # No personal data in these addresses: only whether a seat was given.
    path(
        "<slug:slug>/<int:date_id>/pamelding/bekreftet/",
        views.signup_done,
        {"waitlisted": False},
        name="signup_confirmed",
    ),
    path(
        "<slug:slug>/<int:date_id>/pamelding/venteliste/",
        views.signup_done,
        {"waitlisted": True},
        name="signup_waitlisted",
    ),
]
