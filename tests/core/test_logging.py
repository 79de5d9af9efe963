import logging

from core.logging import RedactPersonalDataFilter, redact


def test_email_addresses_and_phone_numbers_are_redacted():
    text = "from kari.nordmann@example.no tel +47 912 34 567 and 0047 91234567"

    assert redact(text) == "from [e-post] tel [telefon] and [telefon]"


def test_ids_paths_and_access_log_figures_are_kept():
    text = (
        'event=inquiry_created id=42 path=/kurs/2026-12-01/ "GET / HTTP/1.1" 200 4283'
    )

    assert redact(text) == text


def test_filter_redacts_arguments_and_exception_text():
    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "signup failed for %s",
        ("ola@example.no",),
        None,
    )
    try:
        raise ValueError("bad address ola@example.no")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()

    RedactPersonalDataFilter().filter(record)

    assert record.getMessage() == "signup failed for [e-post]"
    assert "ola@example.no" not in record.exc_text


def test_a_phone_number_in_a_url_path_is_redacted():
    """Finding: a number as a path segment (after "/") was kept, so
    GET /kurs/91234567/ wrote the number to gunicorn's access log and to
    django.request's "Not Found" line."""
    for path in ["/kurs/91234567/", "/kurs/+4791234567/", "/kurs/912 34 567/"]:
        text = f'access method=GET path="{path}" status=404'

        assert "[telefon]" in redact(text), path
        assert "234" not in redact(text), path
