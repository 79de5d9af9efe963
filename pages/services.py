"""What writes the site's content. Texts are plain rows that admin saves as they
are (the rule that needs more, a testimonial published only with consent, is a
constraint on the model that admin's form checks); images need work, done here."""

from django.core.exceptions import ValidationError
from django.db import transaction

from pages.images import image_variants, variants_delete, variants_store
from pages.models import Image, Person


def image_create(*, upload, alt: str) -> Image:
    """Check `upload`, store its variants and record the image. ValidationError
    (in Norwegian) when the upload is not an image we take."""
    return image_save(image=Image(alt=alt), upload=upload)


def image_save(*, image: Image, upload=None) -> Image:
    """Save `image` (its alt text), with a new picture when `upload` is given; the
    old picture's files go once the change is committed."""
    if upload is None and image.pk is None:
        raise ValidationError("Velg en bildefil.", code="required")
    old_key, old_widths = image.key, image.widths
    if upload is not None:
        variants = image_variants(upload)
        variants_store(variants)
        image.key = variants.key
        image.width, image.height = variants.width, variants.height
        image.widths = variants.widths
    with transaction.atomic():
        image.save()
        if old_key and image.key != old_key:
            files_unused_delete(key=old_key, widths=old_widths)
    return image


def image_delete(*, image: Image) -> None:
    """The image and, once that is committed, its files (unless the same picture
    is also another image's). Pages and people that showed it show none."""
    with transaction.atomic():
        key, widths = image.key, image.widths
        image.delete()
        files_unused_delete(key=key, widths=widths)


def files_unused_delete(*, key: str, widths: list[int]) -> None:
    def delete_if_unused():
        if not Image.objects.filter(key=key).exists():
            variants_delete(key=key, widths=widths)

    transaction.on_commit(delete_if_unused)


def person_delete(*, person: Person) -> None:
    """A person who no longer teaches here, with their photo: a portrait is
    their personal data, not a picture for the site to keep."""
    with transaction.atomic():
        photo = person.photo
        person.delete()
        if photo is not None and not Person.objects.filter(photo=photo).exists():
            image_delete(image=photo)
