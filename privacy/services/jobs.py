"""The record of scheduled jobs' last successes (core/jobs.py names the jobs)."""

from datetime import datetime

from privacy.models import JobRun


def job_run_record(*, name: str, at: datetime) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"succeeded_at": at})


def job_runs_last(*, names: list[str]) -> dict[str, datetime]:
    return dict(
        JobRun.objects.filter(name__in=names).values_list("name", "succeeded_at")
    )
