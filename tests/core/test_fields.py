"""One way to clean what visitors type, in every form that takes a name."""

import pytest

from contact.forms import ContactForm
from courses.forms import SignupForm
from newsletter.forms import NewsletterSignupForm

TYPED = "  A\u030ase\x00 \u202eMarie\x07  "
STORED = "Åse Marie"


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (ContactForm, "first_name"),
        (SignupForm, "first_name"),
        (NewsletterSignupForm, "name"),
    ],
)
def test_every_form_cleans_a_name_the_same_way(form_class, field):
    form = form_class(data={field: TYPED})
    form.is_valid()

    assert form.cleaned_data[field] == STORED


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (ContactForm, "first_name"),
        (SignupForm, "first_name"),
        (NewsletterSignupForm, "name"),
    ],
)
def test_every_form_wants_a_letter_in_a_name(form_class, field):
    form = form_class(data={field: "12345"})

    assert not form.is_valid()
    assert form.errors[field] == ["Navnet må inneholde bokstaver."]
