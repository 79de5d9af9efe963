"""The report's table: one row per measurement, with its goal and verdict.

A goal is judged on req/s, as stated; the verdict by server CPU time is added when
it disagrees (`Share.verdict`). A measurement that could not be made fails with the
reason, except a page that is not built yet (404), which has no goal to miss.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace

from bench.config import CONSENT_PAGE, COURSE_LIST, HOME, LIGHTHOUSE_PAGES, PAGES
from bench.first_visit import FirstVisit
from bench.lighthouse import CATEGORIES, GOALS, PageScores, describe
from bench.load import Target, cpu_ratios, round_ratios
from bench.report import Column
from bench.volume import (
    COURSE_BOOKINGS,
    COURSE_DATES,
    COURSE_DATES_FEW,
    EXPIRED_FEW,
    EXPIRED_MANY,
    PERSONAL_DATA_ROWS,
    CourseFigures,
    RightsFigures,
)

GOAL_CONSENT_COST = 0.03  # consent middleware costs under 3 % of a page's req/s
# First visit before consent, compressed, with its images (issue 17).
GOAL_FIRST_VISIT_KB = 150
GOAL_THIRD_PARTY_URLS = 0

# Courses (issue 5): /kurs/ with a full catalogue, against the home page.
GOAL_COURSE_LIST_SHARE_OF_HOME = 0.50  # at most twice the home page's time

# Data-subject rights (issue 7).
GOAL_EXPORT_MS = 100
GOAL_RETENTION_VS_DELETE = 2.0  # the job takes at most twice a plain DELETE
GOAL_RETENTION_MEMORY_GROWTH = 0.20  # peak RSS with 5x the rows: at most +20 %

COLUMNS = [
    Column("Measurement"),
    *(Column(name, numeric=True) for name in ("req/s", "p50 ms", "p99 ms")),
    Column("CPU µs/req", numeric=True),
    Column("Value (range over rounds)"),
    Column("DB queries", numeric=True),
    Column("Goal"),
    Column("Result"),
]


@dataclass
class Results:
    floor: Target
    pages: list[Target]
    paths: list[str]  # every page tried, in the table's order
    goals: dict[str, float]  # path -> share of the floor's req/s it must reach
    skipped: dict[str, str]  # path -> why it was not measured
    static: Target
    consent: tuple[Target, Target] | None  # (with, without) the middleware
    consent_note: str  # why the consent comparison was not made
    queries: dict[str, int | None]
    visit: FirstVisit
    lighthouse: list[PageScores]
    courses: CourseFigures
    rights: RightsFigures

    def measured(self, path: str) -> Target | None:
        return next((page for page in self.pages if page.path == path), None)


@dataclass
class Row:
    """One measurement in the table. The load columns are the medians of `load`,
    the target wrk ran against; they stay empty for a measurement made without."""

    label: str
    value: str = ""
    goal: str | None = None
    result: str | None = None
    load: Target | None = None
    queries: int | None = None

    def cells(self) -> list[object]:
        load = load_cells(self.load) if self.load else [None] * 4
        return [self.label, *load, self.value, self.queries, self.goal, self.result]

    def failed(self, why: str) -> Row:
        return replace(self, value=why, result=pass_fail(False))


def load_cells(target: Target) -> list[str]:
    """req/s, p50, p99 and server CPU per request: medians over the rounds."""
    samples = target.samples
    return [
        f"{statistics.median(s.requests_per_second for s in samples):,.0f}",
        f"{statistics.median(s.p50_ms for s in samples):.1f}",
        f"{statistics.median(s.p99_ms for s in samples):.1f}",
        f"{statistics.median(s.cpu_us_per_request for s in samples):,.0f}",
    ]


def load_notes(target: Target) -> str:
    socket_errors = sum(s.socket_errors for s in target.samples)
    bad = sum(s.bad_statuses for s in target.samples)
    notes = []
    if bad:
        notes.append(f"{bad} error responses under load")
    if socket_errors:
        notes.append(f"{socket_errors} socket errors")
    return f" ⚠ {', '.join(notes)}" if notes else ""


def percent(value: float) -> str:
    return f"{value:.0%}" if abs(value) >= 0.1 else f"{value:.1%}"


def median_with_range(values: list[float]) -> str:
    if not values:
        return "n/a"
    low, middle, high = min(values), statistics.median(values), max(values)
    return f"{percent(middle)} ({percent(low)} – {percent(high)})"


def pass_fail(ok: bool) -> str:
    return "PASS" if ok else "**FAIL**"


def not_built_or_fail(note: str) -> str:
    """A page that is not there yet (404) has no goal to miss."""
    return "n/a" if "404" in note else pass_fail(False)


def count_or_na(number: int | None) -> str:
    return "n/a" if number is None else f"{number:,}"


def megabytes(kilobytes: float) -> str:
    return f"{kilobytes / 1024:.1f} MB"


@dataclass
class Share:
    """Per round, one target's req/s as a share of another's: measured, and
    estimated from server CPU time per request."""

    by_requests: list[float]
    by_cpu: list[float]

    @classmethod
    def of(cls, numerator: Target, denominator: Target) -> Share:
        return cls(
            round_ratios(numerator, denominator), cpu_ratios(numerator, denominator)
        )

    def cost(self) -> Share:
        """What the numerator loses against the denominator."""
        return Share([1 - r for r in self.by_requests], [1 - r for r in self.by_cpu])

    def describe(self, of: str) -> str:
        by_cpu = median_with_range(self.by_cpu)
        return f"{median_with_range(self.by_requests)} {of}; by CPU {by_cpu}"

    def verdict(self, meets_goal: Callable[[float], bool]) -> str:
        """PASS/FAIL on req/s, as the goals are stated; CPU time noted when it
        disagrees."""
        ok = meets_goal(median_or_nan(self.by_requests))
        ok_by_cpu = meets_goal(median_or_nan(self.by_cpu))
        if ok_by_cpu == ok:
            return pass_fail(ok)
        return f"{pass_fail(ok)} (by CPU: {'PASS' if ok_by_cpu else 'FAIL'})"


def median_or_nan(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def table_rows(results: Results) -> list[Row]:
    """The report's sections, top to bottom."""
    return [
        *page_rows(results),
        consent_row(results.consent, results.consent_note),
        *first_visit_rows(results.visit),
        *lighthouse_rows(results.lighthouse),
        *course_rows(results),
        *rights_rows(results.rights),
    ]


def page_rows(results: Results) -> list[Row]:
    """The floor, every page (or why it was not measured) and the static file."""
    floor, static = results.floor, results.static
    reference = f"100% (reference){load_notes(floor)}"
    rows = [Row(floor.label, reference, "reference", load=floor)]
    if len(results.paths) == len(PAGES):
        rows.append(Row("A sign-up page", "no open course date found", "", "FAIL"))
    for path in results.paths:
        goal = results.goals.get(path)
        if page := results.measured(path):
            rows.append(page_row(page, floor, results.queries[path], share_goal=goal))
        elif goal is not None:
            note = results.skipped[path]
            rows.append(
                Row(f"Page `{path}`", note, goal_text(goal), not_built_or_fail(note))
            )
        else:
            rows.append(Row(f"Page `{path}`", results.skipped[path]))
    static_queries = results.queries[static.path]
    rows.append(page_row(static, floor, static_queries, goal="upper reference"))
    return rows


def goal_text(share: float) -> str:
    return f"≥ {share:.0%} of floor"


def page_row(
    target: Target,
    floor: Target,
    queries: int | None,
    goal: str | None = None,
    share_goal: float | None = None,
) -> Row:
    share = Share.of(target, floor)
    value = share.describe("of floor") + load_notes(target)
    row = Row(target.label, value, goal, load=target, queries=queries)
    if share_goal is not None:
        row.goal = goal_text(share_goal)
        row.result = share.verdict(lambda value: value >= share_goal)
    return row


def consent_row(consent: tuple[Target, Target] | None, note: str) -> Row:
    row = Row(
        f"ConsentMiddleware: `{CONSENT_PAGE}` on vs off",
        note,
        f"costs < {GOAL_CONSENT_COST:.0%}",
        "n/a",
    )
    if consent is None:
        return row
    with_consent, without = consent
    cost = Share.of(with_consent, without).cost()
    off = statistics.median(s.requests_per_second for s in without.samples)
    row.value = f"costs {cost.describe('of req/s')}; off: {off:,.0f} req/s"
    row.value += load_notes(without)
    row.result = cost.verdict(lambda value: value < GOAL_CONSENT_COST)
    row.load = with_consent
    return row


def first_visit_rows(visit: FirstVisit) -> list[Row]:
    kilobytes = visit.bytes / 1024
    size = f"{visit.requests} requests, {kilobytes:.1f} KB ({visit.bytes:,} bytes)"
    if visit.failed:
        size += f" ⚠ failed: {', '.join(visit.failed)}"
    third_party = f"{len(visit.third_party)} third-party URLs"
    if visit.third_party:
        third_party += ": " + ", ".join(f"`{url}`" for url in visit.third_party)
    size_ok = kilobytes <= GOAL_FIRST_VISIT_KB and not visit.failed
    third_party_ok = len(visit.third_party) <= GOAL_THIRD_PARTY_URLS
    label = "First visit to `/` before consent"
    return [
        Row(f"{label}: size", size, f"≤ {GOAL_FIRST_VISIT_KB} KB", pass_fail(size_ok)),
        Row(
            f"{label}: third parties",
            third_party,
            str(GOAL_THIRD_PARTY_URLS),
            pass_fail(third_party_ok),
        ),
    ]


LIGHTHOUSE_GOAL = ", ".join(
    f"{name} ≥ {GOALS[category]}" if GOALS[category] < 100 else f"{name} 100"
    for category, name in CATEGORIES.items()
)


def lighthouse_rows(pages: list[PageScores]) -> list[Row]:
    """A row per page: the median score per category and, for a category under
    its goal, the audits that did not pass; or why it could not be measured."""
    rows = []
    if len(pages) == len(LIGHTHOUSE_PAGES):
        why = "no open course date found"
        rows.append(Row("Lighthouse mobile: a course page", why, LIGHTHOUSE_GOAL))
        rows[-1].result = pass_fail(False)
    for page in pages:
        row = Row(f"Lighthouse mobile `{page.path}`", goal=LIGHTHOUSE_GOAL)
        if page.error:
            rows.append(row.failed(f"⚠ could not measure: {page.error}"))
            continue
        row.value = describe(page) + f" ({len(page.scores)} runs)"
        row.result = pass_fail(not page.under_goal())
        rows.append(row)
    return rows


def course_rows(results: Results) -> list[Row]:
    """/kurs/ against the home page, and its queries with a small and a full
    catalogue; or why they could not be measured."""
    speed = Row(
        f"`{COURSE_LIST}` vs `{HOME}` ({COURSE_DATES} dates, "
        f"{COURSE_BOOKINGS:,} bookings)",
        goal=f"≥ {GOAL_COURSE_LIST_SHARE_OF_HOME:.0%} of `{HOME}` (≤ 2× its time)",
    )
    queries = Row(
        f"`{COURSE_LIST}` DB queries: {COURSE_DATES_FEW} vs {COURSE_DATES} "
        "upcoming dates",
        goal="constant",
    )
    course_list, home = results.measured(COURSE_LIST), results.measured(HOME)
    figures = results.courses
    if figures.error:
        why = f"⚠ could not fill the catalogue: {figures.error}"
        return [speed.failed(why), queries.failed(why)]
    if course_list is None or home is None:
        skipped = results.skipped.get(COURSE_LIST) or results.skipped.get(HOME)
        why = skipped or "n/a (not measured)"
        for row in (speed, queries):
            row.value, row.result = why, not_built_or_fail(why)
        return [speed, queries]
    return [
        course_speed(speed, course_list, home, figures.queries_many),
        course_queries(queries, figures),
    ]


def course_speed(
    row: Row, course_list: Target, home: Target, queries: int | None
) -> Row:
    share = Share.of(course_list, home)
    value = share.describe(f"of `{HOME}`'s req/s") + load_notes(course_list)
    row.result = share.verdict(lambda value: value >= GOAL_COURSE_LIST_SHARE_OF_HOME)
    row.value, row.load, row.queries = value, course_list, queries
    return row


def course_queries(row: Row, figures: CourseFigures) -> Row:
    few, many = figures.queries_few, figures.queries_many
    bookings = count_or_na(figures.seeded.get("upcoming_bookings"))
    row.value = (
        f"{count_or_na(few)} vs {count_or_na(many)} queries (first page; "
        f"{bookings} bookings on upcoming dates)"
    )
    row.result = pass_fail(few is not None and few == many)
    return row


def rights_rows(figures: RightsFigures) -> list[Row]:
    """The export, the retention job's speed and its memory; a measurement that
    did not run fails with the error that stopped it."""
    export = Row(
        f"`subject_export` of one person ({PERSONAL_DATA_ROWS:,} rows per "
        "personal-data table)",
        goal=f"< {GOAL_EXPORT_MS} ms",
    )
    speed = Row(
        f"`enforce_retention`: {EXPIRED_MANY:,} expired mails vs plain SQL `DELETE`",
        goal=f"≤ {GOAL_RETENTION_VS_DELETE:g}× the `DELETE`",
    )
    memory = Row(
        f"`enforce_retention` peak memory: {EXPIRED_FEW:,} vs {EXPIRED_MANY:,} "
        "expired mails",
        goal=f"≤ +{GOAL_RETENTION_MEMORY_GROWTH:.0%}",
    )
    why = f"⚠ could not measure: {figures.error}" if figures.error else ""
    rows = [
        export_row(export, figures.export) if figures.export else export.failed(why),
        retention_speed(speed, figures.rounds) if figures.rounds else speed.failed(why),
        retention_memory(memory, figures.job_few, figures.rounds)
        if figures.rounds and figures.job_few
        else memory.failed(why),
    ]
    if why and (figures.export or figures.rounds):  # stopped part of the way
        rows.append(Row("Rights measurements", why))
    return rows


def export_row(row: Row, export: dict) -> Row:
    times = export["ms"]
    slowest = ", ".join(f"`{s['key']}` {s['ms']:.1f} ms" for s in export["slowest"])
    row.value = (
        f"median {export['median_ms']:.1f} ms over {len(times)} runs "
        f"({min(times):.1f} – {max(times):.1f}); {export['records']} records in "
        f"{export['purposes']} purposes; slowest lookups: {slowest}"
    )
    row.result = pass_fail(export["median_ms"] < GOAL_EXPORT_MS)
    row.queries = export["queries"]
    return row


def left_behind(*runs: dict) -> int:
    return sum(run["left"] for run in runs)


def retention_speed(row: Row, rounds: list[tuple[dict, dict]]) -> Row:
    ratios = [job["seconds"] / sql["seconds"] for job, sql in rounds]
    ratio = statistics.median(ratios)
    job_seconds = statistics.median(job["seconds"] for job, _ in rounds)
    sql_seconds = statistics.median(sql["seconds"] for _, sql in rounds)
    row.value = (
        f"job {job_seconds:.2f} s vs `DELETE` {sql_seconds:.2f} s: {ratio:.1f}× "
        f"(rounds: {', '.join(f'{r:.1f}×' for r in ratios)}); the job's time: "
        f"{time_by_statement(rounds[-1][0])}"
    )
    deleted = {side["deleted"] for pair in rounds for side in pair}
    left = left_behind(*(job for job, _ in rounds))
    if deleted != {EXPIRED_MANY}:
        row.value += f" ⚠ deleted: {', '.join(f'{n:,}' for n in sorted(deleted))} rows"
    if left:
        row.value += f" ⚠ the job left {left:,} expired rows"
    row.result = pass_fail(ratio <= GOAL_RETENTION_VS_DELETE and left == 0)
    return row


def time_by_statement(job: dict) -> str:
    """Where one run of the job spent its time: each kind of SQL statement, the
    slowest first, and what is left for commits and Python."""
    statements = sorted(
        job["statements"].items(), key=lambda item: item[1]["seconds"], reverse=True
    )
    in_sql = sum(kind["seconds"] for _, kind in statements)
    breakdown = ", ".join(
        f"{name} {kind['seconds']:.2f} s ({kind['count']})"
        for name, kind in statements
        if kind["seconds"] >= 0.005
    )
    return f"{breakdown}, the rest (commits, Python) {job['seconds'] - in_sql:.2f} s"


def retention_memory(row: Row, few: dict, rounds: list[tuple[dict, dict]]) -> Row:
    many_peak = statistics.median(job["peak_rss_kb"] for job, _ in rounds)
    many_start = statistics.median(job["start_rss_kb"] for job, _ in rounds)
    growth = many_peak / few["peak_rss_kb"] - 1
    row.value = (
        f"peak {megabytes(few['peak_rss_kb'])} vs {megabytes(many_peak)} "
        f"({growth:+.1%}); at the job's start {megabytes(few['start_rss_kb'])} "
        f"and {megabytes(many_start)}"
    )
    if not few["peak_is_the_jobs"]:
        row.value += " (peak since the process started: includes Django's start-up)"
    if few["deleted"] != EXPIRED_FEW:
        row.value += f" ⚠ deleted {few['deleted']:,} rows, not {EXPIRED_FEW:,}"
    ok = growth <= GOAL_RETENTION_MEMORY_GROWTH and left_behind(few) == 0
    row.result = pass_fail(ok)
    return row
