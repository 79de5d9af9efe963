"""For migrations that move models to another app while their tables stay."""

from django.db import migrations


def content_types_moved(*, models: list[str], from_app: str, to_app: str):
    """A RunPython that moves the models' content types, so that the permissions
    given to staff groups follow the models to their new app."""

    def move(source: str, target: str):
        def run(apps, schema_editor):
            ContentType = apps.get_model("contenttypes", "ContentType")
            ContentType.objects.filter(app_label=source, model__in=models).update(
                app_label=target
            )

        return run

    return migrations.RunPython(move(from_app, to_app), move(to_app, from_app))
