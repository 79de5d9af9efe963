import pytest
from django.core.files.storage import default_storage

from pages import models
from pages.services import image_create
from privacy.registry import LegalBasis, registry
from privacy.services.rights import subject_erase, subject_export
from tests.pages.conftest import picture_upload

pytestmark = pytest.mark.django_db


def test_testimonials_are_declared_as_shown_with_consent():
    processing = registry.processing("pages.testimonials")

    assert processing.model is models.Testimonial
    assert processing.legal_basis == LegalBasis.CONSENT
    assert not processing.about_staff


def test_a_quoted_participant_gets_their_testimonial_in_the_download_and_erased():
    models.Testimonial.objects.create(
        quote="Et godt kurs.", name="Kari Nordmann", email="kari@example.no",
        consent_obtained=True, consent_note="E-post", is_published=True,
    )  # fmt: skip

    export = subject_export(email="Kari@Example.no")
    report = subject_erase(email="kari@example.no")

    assert "Et godt kurs." in str(export)
    assert report.erased["pages.testimonials"] == 1
    assert not models.Testimonial.objects.exists()


def test_erasing_a_teacher_deletes_their_photo_and_its_files(
    django_capture_on_commit_callbacks,
):
    photo = image_create(upload=picture_upload(), alt="Ingrid")
    models.Person.objects.create(
        name="Ingrid", bio="x", email="ingrid@example.no", photo=photo
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = subject_erase(email="ingrid@example.no")

    assert report.erased["pages.teachers"] == 1
    assert not models.Person.objects.exists()
    assert not models.Image.objects.exists()
    assert default_storage.listdir("bilder")[1] == []
