import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from contact.models import Inquiry, InquiryNote
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db

Status = Inquiry.Status


def admin_url(path: str = "") -> str:
    return f"/{settings.ADMIN_URL}contact/inquiry/{path}"


def listed_ids(response) -> list[int]:
    return [inquiry.pk for inquiry in response.context["cl"].result_list]


def run_action(client, action: str, *inquiries):
    return client.post(
        admin_url(),
        {"action": action, "_selected_action": [i.pk for i in inquiries]},
    )


def test_sales_staff_see_name_company_email_status_assignee_and_age(
    sales_client, inquiry_factory, sales_user
):
    inquiry_factory(
        first_name="Åse",
        last_name="Ørjasæter",
        company="Glassverkstedet AS",
        email="ase@example.no",
        assigned_to=sales_user,
        status=Status.IN_PROGRESS,
        created_at=timezone.now() - timedelta(days=3),
    )

    response = sales_client.get(admin_url())

    html = response.content.decode().replace("\xa0", " ")
    assert response.status_code == 200
    for text in (
        "Åse Ørjasæter",
        "Glassverkstedet AS",
        "ase@example.no",
        "Under arbeid",
        "Siri Salg",
        "3 dager",
    ):
        assert text in html
    for column in ("Navn og firma", "E-postadresse", "Ansvarlig", "Alder"):
        assert column in html


def test_staff_outside_the_sales_group_cannot_see_inquiries(
    client, user_factory, inquiry_factory
):
    inquiry = inquiry_factory()
    login_with_second_factor(client, user_factory("kursansvarlig"))

    assert client.get(admin_url()).status_code == 403
    assert client.get(admin_url(f"{inquiry.pk}/change/")).status_code == 403
    assert "Henvendelser" not in client.get(f"/{settings.ADMIN_URL}").content.decode()


def test_the_sales_group_has_exactly_the_permissions_to_follow_up_leads(sales_group):
    assert set(
        sales_group.permissions.values_list("content_type__app_label", "codename")
    ) == {
        ("contact", "view_inquiry"),
        ("contact", "change_inquiry"),
        ("contact", "view_inquirynote"),
        ("contact", "add_inquirynote"),
    }


def test_sales_staff_can_neither_add_nor_delete_inquiries(
    sales_client, inquiry_factory
):
    inquiry = inquiry_factory()

    assert sales_client.get(admin_url("add/")).status_code == 403
    assert sales_client.get(admin_url(f"{inquiry.pk}/delete/")).status_code == 403
    assert "delete_selected" not in sales_client.get(admin_url()).content.decode()


def test_list_is_filtered_by_status(sales_client, inquiry_factory):
    new = inquiry_factory(status=Status.NEW)
    inquiry_factory(status=Status.CLOSED)

    response = sales_client.get(admin_url(), {"status__exact": "new"})

    assert listed_ids(response) == [new.pk]


def test_list_is_filtered_by_assignee(
    sales_client, inquiry_factory, sales_user, user_factory
):
    mine = inquiry_factory(assigned_to=sales_user)
    inquiry_factory(assigned_to=user_factory("kollega", groups=["Salg"]))
    unassigned = inquiry_factory()

    assert listed_ids(
        sales_client.get(admin_url(), {"assigned_to__id__exact": sales_user.pk})
    ) == [mine.pk]
    assert listed_ids(
        sales_client.get(admin_url(), {"assigned_to__isnull": "True"})
    ) == [unassigned.pk]


def test_list_is_filtered_by_date(sales_client, inquiry_factory):
    recent = inquiry_factory(created_at=timezone.now() - timedelta(days=2))
    inquiry_factory(created_at=timezone.now() - timedelta(days=40))
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)

    response = sales_client.get(
        admin_url(),
        {  # the filter's own "Siste syv dager" link
            "created_at__gte": str(today - timedelta(days=7)),
            "created_at__lt": str(today + timedelta(days=1)),
        },
    )

    assert "Siste syv dager" in response.content.decode()
    assert listed_ids(response) == [recent.pk]


def test_list_has_a_date_hierarchy(sales_client, inquiry_factory):
    this_year = inquiry_factory()
    inquiry_factory(created_at=timezone.now() - timedelta(days=800))
    year = timezone.localtime(this_year.created_at).year

    response = sales_client.get(admin_url(), {"created_at__year": year})

    html = response.content.decode()
    assert listed_ids(response) == [this_year.pk]
    assert '<nav class="toplinks">' in html
    assert "created_at__month=" in html


@pytest.mark.parametrize(
    "term",
    [
        "Åse",
        "Ørjasæter",
        "Åse Ørjasæter",
        "ase@example",
        "Glassverk",
        "91234567",
        "912 34 567",
        "+47 912 34 567",
    ],
)
def test_search_finds_by_name_email_company_and_phone(
    sales_client, inquiry_factory, term
):
    wanted = inquiry_factory(
        first_name="Åse",
        last_name="Ørjasæter",
        email="ase@example.no",
        company="Glassverkstedet AS",
        phone="+4791234567",
    )
    inquiry_factory(
        first_name="Per",
        last_name="Hansen",
        email="per@example.no",
        phone="+4741111111",
    )

    response = sales_client.get(admin_url(), {"q": term})

    assert listed_ids(response) == [wanted.pk]


def test_assign_to_me_assigns_starts_the_work_and_writes_the_history(
    sales_client, inquiry_factory, sales_user
):
    inquiry = inquiry_factory()

    response = run_action(sales_client, "assign_to_me", inquiry)

    inquiry.refresh_from_db()
    assert response.status_code == 302
    assert inquiry.assigned_to == sales_user
    assert inquiry.status == Status.IN_PROGRESS
    assert list(inquiry.notes.values_list("text", "author")) == [
        ("Tildelt Siri Salg.", sales_user.pk),
        ("Status endret fra «Ny» til «Under arbeid».", sales_user.pk),
    ]
    page = sales_client.get(response["Location"]).content.decode()
    assert "1 henvendelse er tildelt deg." in page


def test_mark_answered_action(sales_client, inquiry_factory):
    first, second = inquiry_factory(), inquiry_factory(status=Status.IN_PROGRESS)

    response = run_action(sales_client, "mark_answered", first, second)

    assert set(Inquiry.objects.values_list("status", flat=True)) == {Status.ANSWERED}
    page = sales_client.get(response["Location"]).content.decode()
    assert "2 henvendelser er merket som besvart." in page


def test_close_action_stamps_the_closing_time_that_retention_counts_from(
    sales_client, inquiry_factory
):
    inquiry = inquiry_factory(status=Status.ANSWERED)
    before = timezone.now()

    run_action(sales_client, "close", inquiry)

    inquiry.refresh_from_db()
    assert inquiry.status == Status.CLOSED
    assert before <= inquiry.closed_at <= timezone.now()


def test_reopening_a_closed_inquiry_clears_its_closing_time(
    change_inquiry, inquiry_factory
):
    inquiry = inquiry_factory(status=Status.CLOSED, closed_at=timezone.now())

    response = change_inquiry(inquiry, status=Status.IN_PROGRESS)

    inquiry.refresh_from_db()
    assert response.status_code == 302
    assert inquiry.status == Status.IN_PROGRESS
    assert inquiry.closed_at is None


def test_a_user_who_may_only_view_gets_no_status_actions(
    client, user_factory, inquiry_factory
):
    from django.contrib.auth.models import Permission

    viewer = user_factory("leser")
    viewer.user_permissions.add(Permission.objects.get(codename="view_inquiry"))
    login_with_second_factor(client, viewer)
    inquiry = inquiry_factory()

    html = client.get(admin_url()).content.decode()
    run_action(client, "close", inquiry)

    assert "export_csv" in html
    assert "assign_to_me" not in html
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW


def test_csv_export_opens_in_excel_with_norwegian_letters(
    sales_client, inquiry_factory, sales_user
):
    first = inquiry_factory(
        first_name="Åse",
        last_name="Ørjasæter",
        company="Bodø Glass AS",
        orgnr="974760673",
        message="Hei, æøå ÆØÅ",
        assigned_to=sales_user,
    )
    second = inquiry_factory(first_name="=HYPERLINK(1)")
    inquiry_factory(first_name="Ikke valgt")

    response = run_action(sales_client, "export_csv", first, second)

    content = response.content.decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="henvendelser-'
    )
    assert content.startswith("\ufeffNr.;Mottatt;Fornavn;Etternavn;E-postadresse;")
    lines = content.splitlines()
    assert len(lines) == 3
    assert (
        ";Åse;Ørjasæter;kari@example.no;+47 912 34 567;Bodø Glass AS;974760673;Ny;"
        in (lines[1])
    )
    assert "Siri Salg" in lines[1]
    assert lines[1].endswith(";Hei, æøå ÆØÅ")
    assert ";'=HYPERLINK(1);" in lines[2]
    assert "Ikke valgt" not in content


def test_visitor_fields_are_read_only_for_staff(change_inquiry, inquiry_factory):
    inquiry = inquiry_factory(first_name="Kari")

    change_inquiry(inquiry, first_name="Endret", message="Endret")

    inquiry.refresh_from_db()
    assert inquiry.first_name == "Kari"
    assert inquiry.message == "Et spørsmål."


def test_change_form_offers_no_input_for_what_the_visitor_typed(
    sales_client, inquiry_factory
):
    inquiry = inquiry_factory()

    html = sales_client.get(admin_url(f"{inquiry.pk}/change/")).content.decode()

    for field in ("first_name", "last_name", "email", "phone", "company", "message"):
        assert f'name="{field}"' not in html
    assert "Rett opplysninger" in html


def test_a_correction_on_request_changes_the_field_and_notes_why_not_what_was_there(
    sales_client, inquiry_factory, sales_user
):
    inquiry = inquiry_factory(email="feil@example.no")
    url = admin_url(f"{inquiry.pk}/rett/")
    data = {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "Riktig@Example.no",
        "phone": "912 34 567",
        "company": "",
        "message": "Et spørsmål.",
        "reason": "Kunden ba om det på telefon.",
    }

    response = sales_client.post(url, data)

    inquiry.refresh_from_db()
    assert response.status_code == 302
    assert inquiry.email == "riktig@example.no"
    (note,) = inquiry.notes.all()
    assert note.author == sales_user
    assert note.text == (
        "Rettet på forespørsel: e-postadresse. Kunden ba om det på telefon."
    )
    assert "feil@example.no" not in note.text


def test_a_correction_is_validated_like_the_contact_form(sales_client, inquiry_factory):
    inquiry = inquiry_factory()

    response = sales_client.post(
        admin_url(f"{inquiry.pk}/rett/"),
        {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "email": "kari@example.no",
            "phone": "123",
            "message": "Et spørsmål.",
            "reason": "",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv et telefonnummer med åtte sifre" in html
    assert "Skriv hvem som ba om rettingen." in html
    inquiry.refresh_from_db()
    assert inquiry.phone == "+4791234567"


def test_staff_outside_the_sales_group_cannot_correct_an_inquiry(
    client, user_factory, inquiry_factory
):
    inquiry = inquiry_factory()
    login_with_second_factor(client, user_factory("kursansvarlig"))

    assert client.get(admin_url(f"{inquiry.pk}/rett/")).status_code == 403


def test_a_note_added_in_admin_records_author_and_time(
    change_inquiry, inquiry_factory, sales_user
):
    inquiry = inquiry_factory()

    response = change_inquiry(inquiry, **{"notes-2-0-text": "Ringte, sendte tilbud."})

    assert response.status_code == 302
    (note,) = inquiry.notes.all()
    assert (note.text, note.author) == ("Ringte, sendte tilbud.", sales_user)
    assert note.created_at <= timezone.now()


def test_the_follow_up_history_cannot_be_edited(
    sales_client, change_inquiry, inquiry_factory
):
    inquiry = inquiry_factory()
    InquiryNote.objects.create(inquiry=inquiry, text="Første samtale.")

    html = sales_client.get(admin_url(f"{inquiry.pk}/change/")).content.decode()
    change_inquiry(inquiry, **{"notes-0-text": "Omskrevet historie."})

    assert "Første samtale." in html
    assert 'name="notes-0-text"' not in html
    assert list(InquiryNote.objects.values_list("text", flat=True)) == [
        "Første samtale."
    ]


def test_a_valid_organisation_number_is_marked_as_supplemented_by_staff(
    sales_client, change_inquiry, inquiry_factory, sales_user
):
    inquiry = inquiry_factory()

    change_inquiry(inquiry, orgnr="974 760 673")

    inquiry.refresh_from_db()
    assert inquiry.orgnr == "974760673"
    assert inquiry.orgnr_added_by == sales_user
    assert inquiry.orgnr_added_at is not None
    html = sales_client.get(admin_url(f"{inquiry.pk}/change/")).content.decode()
    assert 'href="https://virksomhet.brreg.no/nb/oppslag/enheter/974760673"' in html
    assert "Siri Salg, " in html
    assert inquiry.notes.filter(text__contains="974760673").exists()


def test_an_organisation_number_failing_the_mod11_check_is_refused(
    change_inquiry, inquiry_factory
):
    inquiry = inquiry_factory()

    response = change_inquiry(inquiry, orgnr="974760672")

    assert response.status_code == 200
    assert "Organisasjonsnummeret må ha ni sifre og være gyldig" in (
        response.content.decode()
    )
    inquiry.refresh_from_db()
    assert inquiry.orgnr == ""


def test_only_staff_can_be_assigned(sales_client, inquiry_factory, user_factory):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="kunde", password="pw")
    inquiry = inquiry_factory()

    html = sales_client.get(admin_url(f"{inquiry.pk}/change/")).content.decode()

    select = re.search(r'<select name="assigned_to".*?</select>', html, re.S).group(0)
    assert "Siri Salg" in select  # by full name, as notes name their author
    assert "kunde" not in select
