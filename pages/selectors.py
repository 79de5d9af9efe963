from django.db.models import QuerySet

from pages import defaults
from pages.models import Page, Person, Question, Testimonial


def page_for(key: str) -> Page:
    """The page's stored text, or the text it was first given if its row is gone."""
    page = Page.objects.select_related("image").filter(key=key).first()
    return page or Page(key=key, **defaults.PAGES[key])


def people_published() -> QuerySet[Person]:
    return Person.objects.filter(is_published=True).select_related("photo")


def testimonials_published() -> QuerySet[Testimonial]:
    # The constraint already forbids publishing without consent; asked again here
    # so that a row written around it is still never shown.
    return Testimonial.objects.filter(is_published=True, consent_obtained=True)


def questions_published() -> QuerySet[Question]:
    return Question.objects.filter(is_published=True)
