"""Every page a visitor comes to, in Chromium on a 390 px phone and a 1280 px
desktop, with the demo's content and the cookie banner showing (but on the
cookie settings page itself) (issue 17): no
serious or critical axe violation, nothing wider than the screen, no console error,
nothing from a third party, and the first screen's image fetched once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from courses.selectors import course_dates_upcoming
from tests.browser.conftest import PageRecorder, serious_accessibility_violations

WIDTHS = (390, 1280)
PAGES = [
    "/",
    "/kurs/",
    "course page",
    "sign-up page",
    "/kontakt/",
    "/om-oss/",
    "/kjopsvilkar/",
    "/personvern/",
    "/personvern/informasjonskapsler/",
    "/personvern/mine-data/",
    "/nyhetsbrev/",
]


@pytest.fixture
def demo_site(db, analytics):
    call_command("seed_demo", stdout=StringIO())
    course_date = next(d for d in course_dates_upcoming() if d.signup_open())
    return {
        "course page": course_date.course.get_absolute_url(),
        "sign-up page": reverse(
            "courses:signup",
            kwargs={"slug": course_date.course.slug, "date_id": course_date.pk},
        ),
    }


@pytest.mark.parametrize("page_name", PAGES)
def test_a_visitor_page_holds_on_a_phone_and_a_desktop(
    live_server, context_factory, demo_site, page_name
):
    path = demo_site.get(page_name, page_name)
    for width in WIDTHS:
        page = context_factory(viewport={"width": width, "height": 844}).new_page()
        recorder = PageRecorder(page)

        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")

        where = (path, width)
        # The cookie settings page is where the banner's choices are made.
        banner = path != "/personvern/informasjonskapsler/"
        assert page.locator("#cookie-consent").is_visible() == banner, where
        assert serious_accessibility_violations(page) == [], where
        assert page.evaluate(WIDER_THAN_THE_SCREEN) == [], where
        assert recorder.console_errors == [], where
        assert recorder.third_party_requests() == [], where
        assert first_screen_image_fetches(page) in ([], [1]), where


# The elements that stick out to the right of the viewport (a page that scrolls
# sideways on a phone).
WIDER_THAN_THE_SCREEN = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right
               > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('.visually-hidden, .skip-link'))
  .map(e => e.tagName + '.' + e.className)
"""


def first_screen_image_fetches(page) -> list[int]:
    """How often each eager image's file was fetched, by the preload or the <img>:
    once, if the preload and the picture chose the same variant."""
    return page.evaluate(
        """
        [...document.querySelectorAll('img[fetchpriority="high"]')].map(img => {
          const key = img.currentSrc.split('/').pop().split('-')[0];
          return performance.getEntriesByType('resource')
            .filter(entry => entry.name.includes(key)).length;
        })
        """
    )
