from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Kurs"

    def ready(self):
        from core.jobs import NIGHTLY_MINUTES, Watch, job_watch
        from courses.catalogue import connect_signals
        from courses.customers import CUSTOMERS_JOB
        from courses.services import OFFERS_JOB

        connect_signals()
        job_watch(
            CUSTOMERS_JOB,
            Watch("Kunder til nyhetsbrevet (hver natt)", NIGHTLY_MINUTES),
        )
        # Hourly: stale after two hours and a margin.
        job_watch(OFFERS_JOB, Watch("Plasser som ikke ble bekreftet (hver time)", 130))
