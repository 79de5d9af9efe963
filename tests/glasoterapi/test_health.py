import pytest
from django.db import connection


@pytest.mark.django_db
def test_health_check_answers_ok_when_the_database_answers(client):
    response = client.get("/helse/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def unreachable_database(tmp_path):
    """Point the connection at a database that cannot be reached, then restore it.

    The open connection is set aside rather than closed: closing the last
    connection to SQLite's in-memory test database would destroy it.
    """
    original_settings = dict(connection.settings_dict)
    open_connection = connection.connection
    connection.connection = None
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = str(tmp_path / "missing-dir" / "db.sqlite3")
    else:
        connection.settings_dict["PORT"] = "1"  # nothing listens on port 1
    yield
    connection.settings_dict.update(original_settings)
    connection.connection = open_connection


@pytest.mark.django_db(transaction=True)
def test_health_check_answers_503_when_the_database_is_unreachable(
    client, unreachable_database
):
    response = client.get("/helse/")

    assert response.status_code == 503
    assert response.json()["database"] == "utilgjengelig"
