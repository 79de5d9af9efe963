from django.urls import path, re_path

from privacy import rights_views, views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_statement, name="statement"),
    re_path(
        r"^versjoner/(?P<version>\d{4}-\d{2}(-\d)?)/$",
        views.statement_version,
        name="statement_version",
    ),
    path("informasjonskapsler/", views.cookie_settings, name="cookie_settings"),
    path("mine-data/", rights_views.start, name="rights_start"),
    path("mine-data/sendt/", rights_views.sent, name="rights_sent"),
    path("mine-data/bekreft/<str:token>/", rights_views.verify, name="rights_verify"),
    path("mine-data/bekreft/<str:token>/ny/", rights_views.renew, name="rights_renew"),
    path("mine-data/oversikt/", rights_views.overview, name="rights_overview"),
    path("mine-data/last-ned/", rights_views.download, name="rights_download"),
    path("mine-data/rett/", rights_views.rectify, name="rights_rectify"),
    path("mine-data/slett/", rights_views.erase, name="rights_erase"),
    path("mine-data/begrens/", rights_views.restrict, name="rights_restrict"),
    path(
        "mine-data/protester/markedsforing/",
        rights_views.object_to_marketing,
        name="rights_object_marketing",
    ),
    path(
        "mine-data/protester/", rights_views.object_to_processing, name="rights_object"
    ),
    path("mine-data/logg-ut/", rights_views.log_out, name="rights_log_out"),
]
