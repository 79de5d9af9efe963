from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Innhold"

    def ready(self):
        from content.version import connect_signals

        connect_signals()
