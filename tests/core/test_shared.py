import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from core.csv import csv_response
from core.validators import clean_orgnr
from privacy.models import AccessAudit


def test_valid_organisation_number_is_accepted_without_spaces():
    assert clean_orgnr("974 760 673") == "974760673"


@pytest.mark.parametrize("number", ["974760672", "97476067", "abcdefghi", ""])
def test_invalid_organisation_number_gets_a_norwegian_message(number):
    with pytest.raises(ValidationError, match="Organisasjonsnummeret"):
        clean_orgnr(number)


def export(**options):
    user = User.objects.create_user("revisor", is_staff=True)
    return csv_response(exported_by=user, what="Test", filename="x.csv", **options)


@pytest.mark.django_db
def test_csv_opens_in_excel_with_norwegian_letters():
    response = export(header=["Navn", "By"], rows=[["Åse Ørjasæter", "Bodø"]])

    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffNavn;By\r\n")
    assert "Åse Ørjasæter;Bodø" in content
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


@pytest.mark.django_db
def test_csv_cells_never_run_as_formulas():
    response = export(header=["a"], rows=[["=1+1"]])

    assert "'=1+1" in response.content.decode("utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cell", ["+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "+47=1"]
)
def test_a_cell_that_starts_like_a_formula_is_quoted(cell):
    response = export(header=["a"], rows=[[cell]])

    assert response.content.decode("utf-8").splitlines()[1].startswith("'")


@pytest.mark.django_db
def test_a_grouped_phone_number_keeps_its_plus_without_a_quote():
    response = export(header=["Telefon"], rows=[["+47 912 34 567"], ["+46701234567"]])

    assert response.content.decode("utf-8").splitlines()[1:] == [
        "+47 912 34 567",
        "'+46701234567",  # else Excel makes it the number 46701234567
    ]


@pytest.mark.django_db
def test_every_csv_export_is_audited():
    export(header=["a"], rows=[["1"], ["2"]])

    audit = AccessAudit.objects.get()
    assert (audit.user.username, audit.what, audit.rows) == ("revisor", "Test", 2)


@pytest.mark.django_db
def test_the_admin_has_no_english_left_in_its_page_frame(admin_client):
    page = admin_client.get("/" + settings.ADMIN_URL).content.decode()

    for english in ("Skip to main content", "Toggle theme", "Start typing"):
        assert english not in page
    assert "Gå til hovedinnholdet" in page


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_translations_match_their_source(domain):
    """locale/nb/LC_MESSAGES/<domain>.mo is committed: rebuild it with msgfmt after
    editing <domain>.po."""
    import gettext
    import re
    from pathlib import Path

    folder = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES"
    source = (folder / f"{domain}.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, re.MULTILINE)
    with (folder / f"{domain}.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    assert pairs
    assert {msgid: translations.gettext(msgid) for msgid, _ in pairs} == dict(pairs)
