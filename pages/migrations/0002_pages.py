"""The three editable pages, with the texts they had before staff could edit them."""

from django.db import migrations

from pages.defaults import PAGES


def create_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for key, texts in PAGES.items():
        Page.objects.get_or_create(key=key, defaults=texts)


def remove_pages(apps, schema_editor):
    apps.get_model("pages", "Page").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_images_pages_people")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
