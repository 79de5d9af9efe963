import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow

from pages.models import Image
from pages.services import image_create, image_delete, image_save
from tests.pages.conftest import picture_upload

pytestmark = pytest.mark.django_db(transaction=False)


def stored_names() -> list[str]:
    if not default_storage.exists("bilder"):
        return []
    return sorted(default_storage.listdir("bilder")[1])


def test_an_upload_is_kept_as_webp_and_jpeg_at_each_width(
    django_capture_on_commit_callbacks,
):
    image = image_create(upload=picture_upload(size=(2000, 1200)), alt="Glass i lys")

    assert image.widths == [480, 960, 1600]
    assert (image.width, image.height) == (1600, 960)
    assert stored_names() == sorted(
        f"{image.key}-{w}.{ext}" for w in (480, 960, 1600) for ext in ("webp", "jpg")
    )
    with default_storage.open(image.variant_name(960, "webp")) as file:
        variant = Pillow.open(file)
        assert (variant.format, variant.size) == ("WEBP", (960, 576))


def test_a_small_picture_is_never_enlarged():
    image = image_create(upload=picture_upload(size=(800, 800)), alt="Portrett")

    assert image.widths == [480, 800]
    assert (image.width, image.height) == (800, 800)


def test_file_names_say_nothing_but_a_hash_of_the_content():
    image = image_create(upload=picture_upload(name="Kari Nordmann.jpg"), alt="x")

    assert len(image.key) == 32
    assert all("Kari" not in name for name in stored_names())
    assert all(name.startswith(image.key) for name in stored_names())


def test_camera_metadata_is_not_kept():
    exif = Pillow.Exif()
    exif[0x010F] = "Kameramerke"  # Make
    exif[0x8825] = {2: (59.0, 54.0, 0.0)}  # GPSInfo: a latitude
    image = image_create(upload=picture_upload(exif=exif.tobytes()), alt="x")

    for name in stored_names():
        with default_storage.open(f"bilder/{name}") as file:
            assert not Pillow.open(file).getexif(), name
    assert image.pk


def test_a_file_that_is_not_an_image_is_refused():
    upload = SimpleUploadedFile("bilde.jpg", b"<?php echo 'hei'; ?>", "image/jpeg")

    with pytest.raises(ValidationError, match="ikke et bilde"):
        image_create(upload=upload, alt="x")
    assert stored_names() == []


def test_a_truncated_image_is_refused():
    whole = picture_upload().read()
    upload = SimpleUploadedFile("bilde.jpg", whole[: len(whole) // 2], "image/jpeg")

    with pytest.raises(ValidationError):
        image_create(upload=upload, alt="x")


def test_only_jpeg_png_and_webp_are_taken():
    with pytest.raises(ValidationError, match="JPEG, PNG og WebP"):
        image_create(upload=picture_upload(kind="GIF", name="a.gif"), alt="x")
    assert image_create(upload=picture_upload(kind="PNG", name="a.png"), alt="x").pk


def test_an_upload_over_the_size_limit_is_refused(settings):
    settings.CONTENT_IMAGE_MAX_BYTES = 1000

    with pytest.raises(ValidationError, match="for stort"):
        image_create(upload=picture_upload(), alt="x")


def test_a_picture_with_too_many_pixels_is_refused_before_it_is_decoded(settings):
    settings.CONTENT_IMAGE_MAX_PIXELS = 1000 * 1000

    with pytest.raises(ValidationError, match="for mange piksler"):
        image_create(upload=picture_upload(size=(1200, 1000)), alt="x")


def test_a_transparent_png_gets_a_white_background_in_jpeg():
    picture = Pillow.new("RGBA", (600, 400), (0, 0, 0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    upload = SimpleUploadedFile("a.png", buffer.getvalue(), "image/png")
    image = image_create(upload=upload, alt="x")

    with default_storage.open(image.variant_name(480, "jpg")) as file:
        assert Pillow.open(file).convert("RGB").getpixel((10, 10)) == (255, 255, 255)


def test_replacing_and_deleting_an_image_removes_its_files(
    django_capture_on_commit_callbacks,
):
    image = image_create(upload=picture_upload(size=(1000, 500)), alt="x")
    old_key = image.key
    with django_capture_on_commit_callbacks(execute=True):
        image_save(image=image, upload=picture_upload(size=(700, 500)))

    assert image.key != old_key
    assert all(name.startswith(image.key) for name in stored_names())

    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=image)

    assert stored_names() == []
    assert not Image.objects.exists()


def test_the_same_picture_twice_keeps_its_files_until_both_are_deleted(
    django_capture_on_commit_callbacks,
):
    first = image_create(upload=picture_upload(), alt="en")
    second = image_create(upload=picture_upload(), alt="to")
    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=first)

    assert len(stored_names()) == 6
    with django_capture_on_commit_callbacks(execute=True):
        image_delete(image=second)
    assert stored_names() == []
