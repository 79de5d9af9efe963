"""The project's system checks: a deployment must say who the business is."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def check(*args: str) -> str:
    """`manage.py check <args>`: its report, or that of the errors it fails with
    (in the suite, others may be about the test run, e.g. async.E001)."""
    out, warnings = StringIO(), StringIO()
    try:
        call_command("check", *args, stdout=out, stderr=warnings)
    except SystemCheckError as error:
        return str(error)
    return out.getvalue() + warnings.getvalue()


def test_check_deploy_passes_with_the_whole_identity(business_identity):
    report = check("--deploy")

    assert "System check identified" in report
    assert "glasoterapi." not in report


@pytest.mark.parametrize(
    ("setting", "error_id"),
    [
        ("BUSINESS_LEGAL_NAME", "glasoterapi.E001"),
        ("BUSINESS_ORGNR", "glasoterapi.E002"),
        ("BUSINESS_ADDRESS", "glasoterapi.E003"),
        ("BUSINESS_PHONE", "glasoterapi.E004"),
        ("BUSINESS_EMAIL", "glasoterapi.E005"),
    ],
)
@pytest.mark.parametrize("empty", ["", "   "])
def test_check_deploy_fails_naming_each_missing_setting(
    settings, business_identity, setting, error_id, empty
):
    setattr(settings, setting, empty)

    errors = check("--deploy").split("WARNINGS:")[0]

    assert errors.startswith("SystemCheckError")
    assert f"?: ({error_id}) {setting} is empty" in errors
    assert errors.count("glasoterapi.") == 1


@pytest.mark.parametrize("number", ["310123456", "31012345", "31012345X"])
def test_an_invalid_organisation_number_is_refused_at_every_start(
    settings, business_identity, number
):
    settings.BUSINESS_ORGNR = number

    report = check()  # not only under --deploy: runserver and migrate stop too

    assert f"(glasoterapi.E006) BUSINESS_ORGNR {number!r} is not a valid" in report


def test_an_organisation_number_written_with_spaces_is_accepted(
    settings, business_identity
):
    settings.BUSINESS_ORGNR = "310 123 455"
    report = check("--deploy")

    assert "System check identified" in report
    assert "glasoterapi." not in report
