from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from glasoterapi import views
from glasoterapi.sitemaps import SITEMAPS
from pages import views as content_views

urlpatterns = [
    path("", views.home, name="home"),
    path("helse/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("robots.txt", views.robots_txt),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("personvern/", include("privacy.urls")),
    path("nyhetsbrev/", include("newsletter.urls")),
    path("kontakt/", include("contact.urls")),
    path("kurs/", include("courses.urls")),
    path("om-oss/", content_views.about, name="about"),
    path("kjopsvilkar/", content_views.purchase_terms, name="purchase_terms"),
    path(
        settings.MEDIA_URL.lstrip("/") + "<path:path>",
        content_views.media,
        name="media",
    ),
    path(f"{settings.ADMIN_URL}2fa/", include("staff.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
