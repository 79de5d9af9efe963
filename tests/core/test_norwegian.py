from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core import norwegian

WINTER_NOON_IN_OSLO = datetime(2027, 1, 14, 11, 0, tzinfo=UTC)


def test_a_moment_is_written_in_oslo_time_with_kl():
    assert norwegian.moment(WINTER_NOON_IN_OSLO) == "14.01.2027 kl. 12.00"
    assert (
        norwegian.moment(WINTER_NOON_IN_OSLO, long=True) == "14. januar 2027 kl. 12.00"
    )
    assert norwegian.moment(None) == ""


def test_a_day_is_written_out():
    assert norwegian.day(date(2036, 1, 1)) == "1. januar 2036"


def test_a_spreadsheet_moment_is_read_as_a_date_by_excel():
    assert norwegian.spreadsheet_moment(WINTER_NOON_IN_OSLO) == "2027-01-14 12:00"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (4500, "kr 4 500"),
        (Decimal("4500.50"), "kr 4 500,50"),
        (Decimal("-1200"), "kr -1 200"),
        (Decimal("0.005"), "kr 0,01"),
    ],
)
def test_amounts_are_kroner_with_a_space_between_thousands(amount, text):
    assert norwegian.kroner(amount) == text


def test_a_count_takes_the_right_form():
    assert norwegian.count(1, "deltaker", "deltakere") == "1 deltaker"
    assert norwegian.count(0, "deltaker", "deltakere") == "0 deltakere"


def test_a_number_has_a_decimal_comma_and_no_needless_decimals():
    assert norwegian.number(Decimal("25.00")) == "25"
    assert norwegian.number(Decimal("4500.00")) == "4 500"
    assert norwegian.number(Decimal("12.5")) == "12,50"


def test_a_period_of_days_is_written_in_its_largest_whole_unit():
    assert norwegian.period(3 * 365) == "3 år"
    assert norwegian.period(180) == "6 måneder"
    assert norwegian.period(30) == "1 måned"
    assert norwegian.period(1) == "1 dag"


def test_a_spreadsheet_amount_has_a_decimal_comma_and_no_thousands_space():
    assert norwegian.spreadsheet_amount(Decimal("4500")) == "4500,00"


@pytest.mark.parametrize("number", ["310123455", "310 123 455", " 310123455 "])
def test_an_organisation_number_is_grouped_in_threes(number):
    assert norwegian.orgnr(number) == "310 123 455"


def test_no_organisation_number_is_written_as_nothing():
    assert norwegian.orgnr("") == ""
