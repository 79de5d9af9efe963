import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact.forms import ContactForm, normalise_phone, phone_display
from contact.spam import started_token

CONTROL = {"Cc"}


def has_control_characters(text: str, *, allowed: str = "") -> bool:
    return any(unicodedata.category(c) in CONTROL and c not in allowed for c in text)


@given(
    first_name=st.text(max_size=120),
    company=st.text(max_size=220),
    message=st.text(max_size=300),
    phone=st.text(max_size=40),
)
def test_any_input_is_either_refused_or_stored_without_control_characters(
    first_name, company, message, phone
):
    form = ContactForm(
        {
            "first_name": first_name,
            "last_name": "Nordmann",
            "email": "kari@example.no",
            "phone": phone,
            "company": company,
            "message": message,
            "started": started_token(now=time.time() - 60),
        }
    )

    if form.is_valid():
        data = form.cleaned_data
        assert not has_control_characters(data["first_name"])
        assert not has_control_characters(data["company"])
        assert not has_control_characters(data["message"], allowed="\n\t")
        assert data["first_name"] == data["first_name"].strip()
        assert len(data["first_name"]) <= 100
        assert len(data["message"]) <= 5000
        phone = data["phone"]
        assert phone == "" or (phone.startswith("+") and phone[1:].isdigit())
        assert phone[1:].isascii()
        assert len(phone) <= 16
    else:
        assert form.errors


@given(
    digits=st.from_regex(r"[2-9][0-9]{7}", fullmatch=True),
    prefix=st.sampled_from(["", "+47", "0047", "+47 ", "0047 "]),
    gaps=st.lists(st.sampled_from(["", " "]), min_size=8, max_size=8),
)
def test_every_way_of_writing_a_norwegian_number_gives_the_same_result(
    digits, prefix, gaps
):
    typed = prefix + "".join(
        gap + digit for gap, digit in zip(gaps, digits, strict=True)
    )

    assert normalise_phone(typed) == "+47" + digits


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+4791234567", "+47 912 34 567"),
        ("+4741234567", "+47 412 34 567"),
        ("+4722123456", "+47 22 12 34 56"),
        ("+46701234567", "+46701234567"),
    ],
)
def test_a_phone_number_is_shown_grouped_as_norwegians_write_it(stored, shown):
    assert phone_display(stored) == shown


def test_digits_from_other_scripts_are_not_taken_for_a_phone_number():
    form = ContactForm({"phone": "٩١٢٣٤٥٦٧"})

    assert "phone" in form.errors
