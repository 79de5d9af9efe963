"""What a shared link shows: each page's Open Graph and Twitter card tags, with its
own title, description and picture, the picture by an absolute address with its
size, and the site's picture where a page has none."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from courses.models import Course, CourseDate
from pages.models import Page
from pages.services import image_create
from tests.pages.conftest import picture_upload

pytestmark = pytest.mark.django_db
SITE = "https://glasoterapi.test"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            self.tags.setdefault(key, []).append(attrs.get("content"))


def meta(client, path: str) -> dict[str, str]:
    """Each tag's content, asserting that no page says a thing twice."""
    parser = MetaTags()
    parser.feed(client.get(path).content.decode())
    for key, contents in parser.tags.items():
        assert len(contents) == 1, f"{path}: {key} {contents}"
    return {key: contents[0] for key, contents in parser.tags.items()}


@pytest.fixture
def course(db):
    course = Course.objects.create(
        title="Grunnkurs i glasoterapi",
        slug="grunnkurs",
        summary="To dager med farget glass for nybegynnere.",
        description="-",
        price=4500,
        is_published=True,
        image=image_create(upload=picture_upload(), alt="Farget glass på et bord"),
    )
    starts = timezone.now() + timedelta(days=30)
    CourseDate.objects.create(
        course=course, starts_at=starts, ends_at=starts + timedelta(hours=6), capacity=8
    )
    return course


def test_a_course_page_shares_its_title_summary_and_image(client, course):
    tags = meta(client, "/kurs/grunnkurs/")

    assert tags["og:title"] == "Grunnkurs i glasoterapi"
    assert tags["og:description"] == "To dager med farget glass for nybegynnere."
    assert tags["description"] == "To dager med farget glass for nybegynnere."
    assert tags["og:url"] == f"{SITE}/kurs/grunnkurs/"
    assert tags["og:image"] == f"{SITE}/media/bilder/{course.image.key}-1600.jpg"
    # picture_upload() is 2000 x 1200: the 1600 px variant is 960 high.
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1600", "960")
    assert tags["og:image:alt"] == "Farget glass på et bord"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]


def test_the_sign_up_page_shares_the_course_image(client, course):
    date = course.dates.get()
    tags = meta(client, f"/kurs/grunnkurs/{date.pk}/pamelding/")

    assert tags["og:image"] == f"{SITE}/media/bilder/{course.image.key}-1600.jpg"
    assert tags["og:title"] == "Påmelding til Grunnkurs i glasoterapi"


def test_the_home_page_shares_its_heading_introduction_and_image(client):
    home = Page.objects.get(key=Page.Key.HOME)
    home.heading = "Lær glasoterapi av dem som kan det"
    home.introduction = "Små grupper og mye praksis, i Oslo og på nett."
    home.image = image_create(upload=picture_upload(), alt="Glass i motlys")
    home.save()

    tags = meta(client, "/")

    assert tags["og:title"] == "Lær glasoterapi av dem som kan det"
    assert tags["og:description"] == "Små grupper og mye praksis, i Oslo og på nett."
    assert tags["description"] == tags["og:description"]
    assert tags["og:image"] == f"{SITE}/media/bilder/{home.image.key}-1600.jpg"
    assert tags["og:image:alt"] == "Glass i motlys"


@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/kontakt/", "Kontakt oss"),
        ("/personvern/", "Personvernerklæring"),
        ("/kurs/", "Kurs og seminarer"),
    ],
)
def test_a_page_without_a_picture_shares_the_site_picture_and_its_own_words(
    client, path, title
):
    tags = meta(client, path)

    assert tags["og:image"] == f"{SITE}/static/img/deling.png"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:title"].startswith(title)
    assert tags["og:description"] == tags["description"]
    assert tags["description"] != "Kurs og seminarer i glasoterapi."


def test_every_page_description_differs_from_the_next(client, course):
    paths = [
        "/",
        "/kurs/",
        "/kurs/grunnkurs/",
        "/kontakt/",
        "/personvern/",
        "/kjopsvilkar/",
        "/om-oss/",
        "/nyhetsbrev/",
    ]
    descriptions = [meta(client, path)["description"] for path in paths]

    assert len(set(descriptions)) == len(paths), descriptions
