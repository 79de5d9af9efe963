"""The newsletter's models are now the `newsletter` app's
(newsletter/migrations/0001_initial.py); the tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0007_norwegian_field_names"),
        ("newsletter", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="NewsletterIssue"),
                migrations.DeleteModel(name="NewsletterSuppression"),
                migrations.DeleteModel(name="Subscriber"),
            ],
            database_operations=[],
        ),
    ]
