from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "E-post"

    def ready(self):
        from core.jobs import Watch, job_watch
        from outbox.services import MAIL_JOB

        # The worker runs every minute; stale once mail could not get through for
        # as long as the operator is alerted about the queue.
        job_watch(
            MAIL_JOB,
            Watch("Utsending av e-post", "MAIL_ALERT_MINUTES", required=False),
        )
