from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Innhold"

    def ready(self):
        from pages.version import connect_signals

        connect_signals()
