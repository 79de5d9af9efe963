"""The outbox moves out of the project package into its own app. The table and its
rows stay where they are (`db_table`); only Django's idea of which app owns the
model changes, so an existing database upgrades in place."""

from django.db import migrations, models

from core.model_move import content_types_moved


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("glasoterapi", "0004_norwegian_field_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingEmail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=60, verbose_name="type")),
                        ("to", models.EmailField(db_index=True, max_length=254, verbose_name="til")),
                        ("subject", models.CharField(max_length=200, verbose_name="emne")),
                        ("body_text", models.TextField(verbose_name="tekst")),
                        ("body_html", models.TextField(blank=True, verbose_name="HTML")),
                        ("headers", models.JSONField(blank=True, default=dict, verbose_name="ekstra hoder")),
                        ("attachments", models.JSONField(blank=True, default=list, verbose_name="vedlegg")),
                        ("dedupe_key", models.CharField(blank=True, max_length=120, null=True, unique=True)),
                        ("status", models.CharField(choices=[("queued", "I kø"), ("sending", "Sendes"), ("sent", "Sendt"), ("failed", "Feilet"), ("held", "Holdt tilbake (begrenset)")], default="queued", max_length=10, verbose_name="status")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="forsøk")),
                        ("next_attempt_at", models.DateTimeField(db_index=True, verbose_name="neste forsøk")),
                        ("claimed_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.CharField(blank=True, max_length=200, verbose_name="siste feil")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="opprettet")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sendt")),
                    ],
                    options={
                        "verbose_name": "utgående e-post",
                        "verbose_name_plural": "utgående e-post",
                        "ordering": ["-created_at"],
                        "db_table": "glasoterapi_outgoingemail",
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="glasoterapi_status_6b7f8e_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_moved(models=["outgoingemail"], from_app="glasoterapi", to_app="outbox"),
    ]
