"""Scheduled jobs an operator watches. Each app names its own job and how recently
it must have succeeded, and reports each success and failure through
`job_succeeded` and `job_failed`. Privacy keeps the record (privacy.JobRun) and
answers `job_records`; the health check and the staff overview read the jobs'
status from `jobs_status`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from core import norwegian
from core.hooks import Hook

# Called with name= and at= when a job has done its work without an error.
job_succeeded = Hook("job_succeeded")
# Called with name= and at= when a job could not do its work.
job_failed = Hook("job_failed")
# Called with names=; answers {name: JobRecord}.
job_records = Hook("job_records")

# A nightly job: a day, and a margin for a slow run or a timer's random delay.
NIGHTLY_MINUTES = 26 * 60


@dataclass(frozen=True)
class Watch:
    label: str  # what the job does, as staff read it
    max_age_minutes: int | str  # a number, or the name of the setting that holds it
    # False: a site may do this otherwise (its backups, say); once the job has
    # run, it must go on running.
    required: bool = True

    @property
    def max_age(self) -> timedelta:
        minutes = self.max_age_minutes
        if isinstance(minutes, str):
            minutes = getattr(settings, minutes)
        return timedelta(minutes=minutes)


@dataclass(frozen=True)
class JobRecord:
    succeeded_at: datetime | None
    failed_at: datetime | None


@dataclass(frozen=True)
class JobStatus:
    name: str
    label: str
    succeeded_at: datetime | None
    failed_at: datetime | None
    max_age: timedelta
    ok: bool

    @property
    def last_run_failed(self) -> bool:
        if self.failed_at is None:
            return False
        return self.succeeded_at is None or self.failed_at > self.succeeded_at

    @property
    def max_age_text(self) -> str:
        return norwegian.minutes(int(self.max_age.total_seconds() // 60))


WATCHED: dict[str, Watch] = {}


def job_watch(name: str, watch: Watch) -> None:
    WATCHED[name] = watch


def jobs_status(*, now: datetime) -> list[JobStatus]:
    """Every watched job, and whether it has succeeded recently enough. One that
    is not required and has never run is fine; one that has only ever failed is
    not."""
    records: dict[str, JobRecord] = {}
    for answer in job_records(names=list(WATCHED)):
        records.update(answer)
    statuses = []
    for name, watch in WATCHED.items():
        record = records.get(name, JobRecord(succeeded_at=None, failed_at=None))
        succeeded_at = record.succeeded_at
        fresh = succeeded_at is not None and succeeded_at >= now - watch.max_age
        never_ran = succeeded_at is None and record.failed_at is None
        statuses.append(
            JobStatus(
                name=name,
                label=watch.label,
                succeeded_at=succeeded_at,
                failed_at=record.failed_at,
                max_age=watch.max_age,
                ok=fresh or (never_ran and not watch.required),
            )
        )
    return statuses
