import pytest
from django.test import Client

pytestmark = [pytest.mark.urls("tests.glasoterapi.failing_urls"), pytest.mark.django_db]


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_database_outage_shows_the_norwegian_503_page(visitor):
    response = visitor.get("/database-down/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    content = response.content.decode()
    assert "Midlertidig utilgjengelig" in content
    assert "Traceback" not in content


def test_bug_shows_the_norwegian_500_page(visitor):
    response = visitor.get("/bug/")

    assert response.status_code == 500
    assert "Noe gikk galt" in response.content.decode()
