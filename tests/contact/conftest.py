import time
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from contact.models import Inquiry
from contact.spam import started_token
from tests.conftest import login_with_second_factor

VALID_FORM = {
    "first_name": "Åse",
    "last_name": "Ørjasæter",
    "email": "Ase.Orjasaeter@Example.NO",
    "phone": "912 34 567",
    "company": "Glassverkstedet AS",
    "message": "Hei! Kan dere holde et kurs for 12 ansatte i Bodø?",
}


@pytest.fixture(autouse=True)
def empty_rate_limit_counts():
    """The local-memory cache outlives a test; every test starts uncounted."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def form_data():
    """Valid contact form input, as if the form was shown a minute ago."""

    def make(**overrides) -> dict:
        return {
            "started": started_token(now=time.time() - 60),
            **VALID_FORM,
            **overrides,
        }

    return make


@pytest.fixture
def submit(client, form_data):
    def post(client=client, **overrides):
        return client.post("/kontakt/", form_data(**overrides))

    return post


@pytest.fixture
def inquiry_factory(db):
    def make(**fields) -> Inquiry:
        defaults = {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "email": "kari@example.no",
            "phone": "+4791234567",
            "company": "",
            "message": "Et spørsmål.",
        }
        return Inquiry.objects.create(**(defaults | fields))

    return make


@pytest.fixture
def sales_group(db) -> Group:
    """The group made by the data migration."""
    return Group.objects.get(name="Salg")


@pytest.fixture
def user_factory(sales_group):
    def make(username: str, *, groups=(), **fields):
        user = get_user_model().objects.create_user(
            username=username, password="pw", is_staff=True, **fields
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        return user

    return make


@pytest.fixture
def sales_user(user_factory):
    return user_factory("selger", groups=["Salg"], first_name="Siri", last_name="Salg")


@pytest.fixture
def sales_client(client, sales_user):
    login_with_second_factor(client, sales_user)
    return client


class FormFields(HTMLParser):
    """The values a browser would send for the form with `form_id`."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "checkbox"):
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data[attrs["name"]] = attrs.get("value") or "on"
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data.removeprefix("\n")


def form_fields(response, form_id: str) -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def change_inquiry(sales_client):
    """Submit an inquiry's admin change form as a browser would, with changes."""

    def post(inquiry: Inquiry, **changes):
        url = f"/{settings.ADMIN_URL}contact/inquiry/{inquiry.pk}/change/"
        data = form_fields(sales_client.get(url), "inquiry_form")
        return sales_client.post(url, data | changes)

    return post
