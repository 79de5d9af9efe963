"""The newsletter moves out of the privacy app into its own. The tables and their
rows stay where they are (`db_table`); only Django's idea of which app owns the
models changes, so an existing database upgrades in place."""

from django.db import migrations, models

from core.model_move import content_types_moved

MODELS = ["subscriber", "newslettersuppression", "newsletterissue"]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("privacy", "0007_norwegian_field_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='NewsletterIssue',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=200, verbose_name='emne')),
                        ('body_text', models.TextField(help_text='Vanlig tekst. Avmeldingslenken legges til automatisk.', verbose_name='tekst')),
                        ('body_html', models.TextField(blank=True, help_text='Valgfritt. Ingen sporingspiksler eller sporede lenker.', verbose_name='HTML')),
                        ('status', models.CharField(choices=[('draft', 'Utkast'), ('sending', 'Sendes'), ('sent', 'Sendt')], default='draft', max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='laget')),
                        ('send_started_at', models.DateTimeField(blank=True, null=True, verbose_name='utsending startet')),
                        ('queued_count', models.PositiveIntegerField(default=0, verbose_name='lagt i kø')),
                    ],
                    options={
                        'verbose_name': 'nyhetsbrev',
                        'verbose_name_plural': 'nyhetsbrev',
                        'db_table': 'privacy_newsletterissue',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='NewsletterSuppression',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email_key', models.CharField(max_length=64, unique=True, verbose_name='nøkkel')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='avmeldt')),
                    ],
                    options={
                        'verbose_name': 'avmeldt adresse',
                        'verbose_name_plural': 'avmeldte adresser (bare nøkkel)',
                        'db_table': 'privacy_newslettersuppression',
                    },
                ),
                migrations.CreateModel(
                    name='Subscriber',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, max_length=150, verbose_name='navn')),
                        ('email', models.EmailField(max_length=254, unique=True, verbose_name='e-postadresse')),
                        ('status', models.CharField(choices=[('pending', 'Venter på bekreftelse'), ('active', 'Aktiv')], default='pending', max_length=10, verbose_name='status')),
                        ('basis', models.CharField(choices=[('consent', 'Samtykke'), ('customer', 'Eksisterende kunde')], max_length=10, verbose_name='grunnlag')),
                        ('source', models.CharField(choices=[('newsletter_page', 'Nyhetsbrevsiden'), ('contact_form', 'Kontaktskjemaet'), ('course_signup', 'Kurspåmelding'), ('admin', 'Lagt inn av ansatt')], max_length=20, verbose_name='kilde')),
                        ('consent_text_version', models.CharField(blank=True, max_length=20, verbose_name='versjon av samtykketeksten')),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='påmeldt')),
                        ('confirmation_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='bekreftelse sendt')),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='bekreftet')),
                        ('restricted_at', models.DateTimeField(blank=True, null=True, verbose_name='begrenset')),
                    ],
                    options={
                        'verbose_name': 'abonnent',
                        'verbose_name_plural': 'abonnenter på nyhetsbrevet',
                        'db_table': 'privacy_subscriber',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(condition=models.Q(('status', 'pending')), fields=['created_at'], name='subscriber_pending_created')],
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_moved(models=MODELS, from_app="privacy", to_app="newsletter"),
    ]
