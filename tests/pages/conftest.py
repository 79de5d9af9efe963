import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow

from tests.conftest import login_with_second_factor


def picture_upload(
    *, size=(2000, 1200), kind="JPEG", name="IMG_2041 Kari Nordmann.jpg", exif=None
) -> SimpleUploadedFile:
    picture = Pillow.new("RGB", size, (40, 120, 160))
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    picture.save(buffer, kind, **options)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif"}
    return SimpleUploadedFile(name, buffer.getvalue(), content_type[kind])


@pytest.fixture
def editor(db):
    """A staff member in the "Innhold" group, nothing else."""
    user = get_user_model().objects.create_user(
        username="redaktor", password="pw", is_staff=True
    )
    user.groups.set(Group.objects.filter(name="Innhold"))
    return user


@pytest.fixture
def editor_client(client, editor):
    return login_with_second_factor(client, editor)


@pytest.fixture
def outsider_client(client, db):
    """Staff, past the second factor, but in no group."""
    user = get_user_model().objects.create_user(
        username="annen", password="pw", is_staff=True
    )
    return login_with_second_factor(client, user)
