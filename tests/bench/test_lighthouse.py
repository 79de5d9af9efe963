from bench import lighthouse
from bench.lighthouse import PageScores, describe, failing_audits
from bench.results import lighthouse_rows

PERFECT = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}
NONE_FAILING = {category: [] for category in PERFECT}


def page(*performance: int) -> PageScores:
    return PageScores(
        "/",
        scores=[PERFECT | {"performance": score} for score in performance],
        failing=[
            NONE_FAILING | {"performance": [f"audit-of-run-scoring-{score}"]}
            for score in performance
        ],
    )


def test_the_score_is_the_median_and_the_audits_are_the_median_runs():
    scores = page(97, 80, 90)

    assert scores.median("performance") == 90
    assert scores.under_goal() == ["performance"]
    assert describe(scores) == (
        "performance 90 (80–97), accessibility 100, best practices 100, SEO 100; "
        "not passed: performance: `audit-of-run-scoring-90`"
    )


def test_a_page_at_its_goals_passes_and_one_under_them_fails():
    passing, failing = lighthouse_rows([page(95, 96, 99), page(94, 94, 99)])[-2:]

    assert passing.result == "PASS"
    assert failing.result == "**FAIL**"


def test_a_page_that_could_not_be_measured_fails_with_the_reason():
    (*_, row) = lighthouse_rows([PageScores("/", error="no Chromium")])

    assert row.result == "**FAIL**"
    assert "no Chromium" in row.value


def test_failing_audits_leave_out_informative_and_errored_ones():
    report = {
        "categories": {
            "seo": {"auditRefs": [{"id": name} for name in "abcd"]},
        },
        "audits": {
            "a": {"score": 0, "scoreDisplayMode": "binary"},
            "b": {"score": 0, "scoreDisplayMode": "informative"},
            "c": {"score": None, "scoreDisplayMode": "error"},
            "d": {"score": 1, "scoreDisplayMode": "binary"},
        },
    }

    assert failing_audits(report, "seo") == ["a"]


def test_a_run_lighthouse_failed_to_trace_is_repeated_and_said(monkeypatch, tmp_path):
    """Found in make bench: /personvern/ was not measured because one run ended in
    Lighthouse's own NO_NAVSTART ("Please run Lighthouse again")."""
    outcomes = iter(
        [RuntimeError("Something went wrong with recording the trace (NO_NAVSTART)")]
        + [report_scoring(99)] * 3
    )

    def run_once(url, tmp, chrome_flags=()):
        outcome = next(outcomes)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(lighthouse, "run_once", run_once)

    scores = lighthouse.measure_page("http://127.0.0.1:1", "/personvern/", tmp_path)

    assert not scores.error
    assert len(scores.scores) == 3
    assert describe(scores).endswith(
        "; 1 run(s) repeated after Lighthouse's own NO_NAVSTART"
    )


def test_a_fault_of_the_page_is_not_repeated(monkeypatch, tmp_path):
    calls = []

    def run_once(url, tmp, chrome_flags=()):
        calls.append(url)
        raise RuntimeError("The page did not paint any content (NO_FCP)")

    monkeypatch.setattr(lighthouse, "run_once", run_once)

    scores = lighthouse.measure_page("http://127.0.0.1:1", "/", tmp_path)

    assert len(calls) == 1
    assert "NO_FCP" in scores.error


def report_scoring(performance: int) -> dict:
    return {
        "categories": {
            category: {"score": score / 100, "auditRefs": []}
            for category, score in (PERFECT | {"performance": performance}).items()
        },
        "audits": {},
        "environment": {"benchmarkIndex": 2000},
    }
