"""Staff groups with exactly the permissions a role needs, made by data migrations:
`migrations.RunPython(*group_migration("Salg", "contact", [...]))`, and later given
more with `migrations.RunPython(*group_permissions_added("Salg", "contact", [...]))`.
"""

from django.contrib.auth.management import create_permissions


def group_migration(group: str, app_label: str, permissions: list[tuple[str, str]]):
    """RunPython functions creating `group` with `(model, codename)` permissions
    of `app_label`, and removing it again."""

    def create_group(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        created, _ = Group.objects.get_or_create(name=group)
        created.permissions.add(*app_permissions(apps, app_label, permissions))

    def remove_group(apps, schema_editor):
        apps.get_model("auth", "Group").objects.filter(name=group).delete()

    return create_group, remove_group


def group_permissions_added(
    group: str, app_label: str, permissions: list[tuple[str, str]]
):
    """RunPython functions giving an existing `group` more permissions of
    `app_label`, and taking just those away again."""

    def add(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        existing, _ = Group.objects.get_or_create(name=group)
        existing.permissions.add(*app_permissions(apps, app_label, permissions))

    def remove(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        for existing in Group.objects.filter(name=group):
            existing.permissions.remove(*app_permissions(apps, app_label, permissions))

    return add, remove


def app_permissions(apps, app_label: str, permissions: list[tuple[str, str]]):
    # Permissions are normally made after all migrations (post_migrate); make
    # them now so that a fresh database gets the group complete.
    app_config = apps.get_app_config(app_label)
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module

    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(
            content_type__app_label=app_label,
            content_type__model=model,
            codename=codename,
        )
        for model, codename in permissions
    ]
