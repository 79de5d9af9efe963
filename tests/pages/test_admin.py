"""The "Innhold" group edits the site's texts and images in admin, and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.models import Course
from pages import models
from tests.pages.conftest import picture_upload

pytestmark = pytest.mark.django_db


def test_the_innhold_group_has_exactly_the_permissions_for_texts_and_images(db):
    group = Group.objects.get(name="Innhold")
    permissions = {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
    }

    assert permissions == {
        *(
            f"pages.{action}_{model}"
            for model in ("image", "person", "testimonial", "question")
            for action in ("view", "add", "change", "delete")
        ),
        "pages.view_page",
        "pages.change_page",
        "courses.view_coursecontent",
        "courses.change_coursecontent",
    }


def test_an_editor_changes_the_home_page_in_admin(editor_client, client):
    home = models.Page.objects.get(key=models.Page.Key.HOME)
    url = reverse("admin:pages_page_change", args=[home.pk])

    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        {
            "heading": "Ny overskrift",
            "introduction": "Ny ingress.",
            "body": "",
            "image": "",
        },
    )

    assert response.status_code == 302
    assert "Ny overskrift" in client.get("/").content.decode()


def test_pages_are_never_added_or_deleted_in_admin(editor_client):
    home = models.Page.objects.get(key=models.Page.Key.HOME)

    assert editor_client.get(reverse("admin:pages_page_add")).status_code == 403
    delete = reverse("admin:pages_page_delete", args=[home.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403


def test_an_editor_uploads_an_image_with_its_alt_text(editor_client):
    response = editor_client.post(
        reverse("admin:pages_image_add"),
        {"upload": picture_upload(), "alt": "Kursdeltakere ved et langbord"},
    )

    assert response.status_code == 302
    image = models.Image.objects.get()
    assert image.alt == "Kursdeltakere ved et langbord"
    assert image.widths == [480, 960, 1600]


def test_an_image_needs_alt_text_and_a_real_picture(editor_client):
    url = reverse("admin:pages_image_add")
    without_alt = editor_client.post(url, {"upload": picture_upload(), "alt": ""})
    not_a_picture = editor_client.post(
        url,
        {"upload": picture_upload(kind="GIF", name="a.gif"), "alt": "Noe"},
    )

    assert without_alt.status_code == 200
    assert "Feltet er påkrevet." in without_alt.content.decode()
    assert "Bare bilder i formatene JPEG, PNG og WebP" in not_a_picture.content.decode()
    assert not models.Image.objects.exists()


def test_publishing_a_testimonial_without_consent_is_refused(editor_client):
    url = reverse("admin:pages_testimonial_add")
    fields = {
        "quote": "Et godt kurs.",
        "name": "Kari Nordmann",
        "role": "",
        "email": "",
        "consent_note": "",
        "order": 0,
        "is_published": "on",
    }

    refused = editor_client.post(url, fields)
    accepted = editor_client.post(
        url, {**fields, "consent_obtained": "on", "consent_note": "E-post 3. mars"}
    )

    assert "bare publiseres når samtykke er innhentet" in refused.content.decode()
    assert accepted.status_code == 302
    assert models.Testimonial.objects.get().consent_obtained


def test_an_editor_changes_a_courses_texts_but_not_its_price(editor_client):
    course = Course.objects.create(
        title="Grunnkurs", slug="grunnkurs", summary="Kort.", description="Lang.",
        price=4500,
    )  # fmt: skip
    teacher = models.Person.objects.create(name="Ingrid Solberg", bio="x")
    url = reverse("admin:courses_coursecontent_change", args=[course.pk])

    response = editor_client.post(
        url,
        {
            "programme": "- 09.00 Velkommen",
            "audience": "Alle.",
            "what_to_bring": "",
            "teacher": teacher.pk,
            "image": "",
        },  # fmt: skip
    )

    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.programme, course.teacher) == ("- 09.00 Velkommen", teacher)
    course_change = reverse("admin:courses_course_change", args=[course.pk])
    assert editor_client.get(course_change).status_code == 403


def test_deleting_a_person_in_admin_deletes_their_photo(editor_client):
    editor_client.post(
        reverse("admin:pages_image_add"),
        {"upload": picture_upload(), "alt": "Ingrid"},
    )
    person = models.Person.objects.create(
        name="Ingrid", bio="x", photo=models.Image.objects.get()
    )

    editor_client.post(
        reverse("admin:pages_person_delete", args=[person.pk]), {"post": "yes"}
    )

    assert not models.Person.objects.exists()
    assert not models.Image.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "admin:pages_page_changelist",
        "admin:pages_image_changelist",
        "admin:pages_person_changelist",
        "admin:pages_testimonial_changelist",
        "admin:pages_question_changelist",
        "admin:courses_coursecontent_changelist",
    ],
)
def test_staff_outside_the_innhold_group_cannot_edit_content(outsider_client, name):
    assert outsider_client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize(
    "name",
    [
        "admin:pages_page_changelist",
        "admin:pages_image_changelist",
        "admin:pages_person_changelist",
        "admin:pages_testimonial_changelist",
        "admin:pages_question_changelist",
        "admin:courses_coursecontent_changelist",
    ],
)
def test_an_editor_sees_every_content_list(editor_client, name):
    assert editor_client.get(reverse(name)).status_code == 200


def test_an_editor_sees_no_bookings(editor_client):
    assert (
        editor_client.get(reverse("admin:courses_booking_changelist")).status_code
        == 403
    )
