"""Each issue gets its audience and staff a permission to send.

Issues queued before this went to everyone active (subscribers who consented and
customers under soft opt-in), so they are recorded with that audience; a draft
starts with those who consented themselves. "Sendt" becomes "Lagt i kø": the
outbox sends each mail later, and says itself which were sent.
"""

from django.db import migrations, models


def queued_issues_went_to_both(apps, schema_editor):
    NewsletterIssue = apps.get_model("newsletter", "NewsletterIssue")
    NewsletterIssue.objects.exclude(status="draft").update(audience="both")


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0002_customer_last_course"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="newsletterissue",
            options={
                "ordering": ["-created_at"],
                "permissions": [("send_newsletterissue", "Kan sende nyhetsbrev")],
                "verbose_name": "nyhetsbrev",
                "verbose_name_plural": "nyhetsbrev",
            },
        ),
        migrations.AddField(
            model_name="newsletterissue",
            name="audience",
            field=models.CharField(
                choices=[
                    ("consent", "Påmeldte abonnenter (har samtykket selv)"),
                    ("customers", "Kunder som har kjøpt kurs (ikke påmeldt selv)"),
                    ("both", "Begge: påmeldte abonnenter og kunder"),
                ],
                default="consent",
                max_length=10,
                verbose_name="mottakere",
            ),
        ),
        migrations.AlterField(
            model_name="newsletterissue",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Utkast"),
                    ("sending", "Legges i kø"),
                    ("sent", "Lagt i kø"),
                ],
                default="draft",
                max_length=10,
            ),
        ),
        migrations.RunPython(queued_issues_went_to_both, migrations.RunPython.noop),
    ]
