"""The outbox is now the `outbox` app's (outbox/migrations/0001_initial.py); the
table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("glasoterapi", "0004_norwegian_field_names"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutgoingEmail")],
            database_operations=[],
        ),
    ]
