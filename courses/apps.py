from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Kurs"

    def ready(self):
        from courses.catalogue import connect_signals

        connect_signals()
