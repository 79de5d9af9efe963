"""The record of scheduled jobs' last successes and failures (core/jobs.py names
the jobs)."""

from datetime import datetime

from core.jobs import JobRecord
from privacy.models import JobRun


def job_run_record(*, name: str, at: datetime) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"succeeded_at": at})


def job_failure_record(*, name: str, at: datetime) -> None:
    JobRun.objects.update_or_create(name=name, defaults={"failed_at": at})


def job_runs_last(*, names: list[str]) -> dict[str, JobRecord]:
    return {
        name: JobRecord(succeeded_at=succeeded_at, failed_at=failed_at)
        for name, succeeded_at, failed_at in JobRun.objects.filter(
            name__in=names
        ).values_list("name", "succeeded_at", "failed_at")
    }
