from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from newsletter.models import NewsletterIssue, Subscriber
from tests.conftest import login_with_second_factor


@pytest.fixture
def staff_factory(db):
    def make(username: str, *, groups=(), **fields):
        user = get_user_model().objects.create_user(
            username=username,
            email=f"{username}@glasoterapi.no",
            password="pw",
            is_staff=True,
            **fields,
        )
        user.groups.set(Group.objects.filter(name__in=groups))
        return user

    return make


@pytest.fixture
def editor(staff_factory):
    """A staff member in the "Nyhetsbrev" group, not a superuser."""
    return staff_factory("redaktor", groups=["Nyhetsbrev"])


@pytest.fixture
def editor_client(client, editor):
    return login_with_second_factor(client, editor)


@pytest.fixture
def subscriber_factory(db):
    """Active subscribers: on consent, or customers within their soft opt-in."""
    numbers = iter(range(1, 10_000))

    def make(*, customer: bool = False, **fields) -> Subscriber:
        number = next(numbers)
        defaults = {
            "name": f"Person {number}",
            "email": f"person{number}@example.no",
            "status": Subscriber.Status.ACTIVE,
            "basis": Subscriber.Basis.CONSENT,
            "source": Subscriber.Source.NEWSLETTER_PAGE,
            "confirmed_at": timezone.now(),
        }
        if customer:
            defaults |= {
                "basis": Subscriber.Basis.CUSTOMER,
                "source": Subscriber.Source.COURSE_SIGNUP,
                "confirmed_at": None,
                "last_course_at": timezone.now() - timedelta(days=30),
            }
        return Subscriber.objects.create(**(defaults | fields))

    return make


@pytest.fixture
def draft(db):
    return NewsletterIssue.objects.create(
        subject="Nye kurs i vår",
        body_text="Hei! Her er vårens kurs.",
        body_html='<p style="color: #333">Hei! Her er <b>vårens</b> kurs.</p>',
    )


def send_crashing_after(issue, monkeypatch, *, mails: int, batch_size: int) -> None:
    """Send `issue` as a worker that dies after queueing `mails` mails would."""
    from newsletter import services

    real_issue_mail = services.issue_mail
    made = []

    def crash_after(issue, subscriber, **kwargs):
        if len(made) == mails:
            raise RuntimeError("the worker died")
        made.append(subscriber.pk)
        return real_issue_mail(issue, subscriber, **kwargs)

    monkeypatch.setattr(services, "issue_mail", crash_after)
    with pytest.raises(RuntimeError):
        services.newsletter_issue_send(issue=issue, batch_size=batch_size)
    monkeypatch.setattr(services, "issue_mail", real_issue_mail)
