"""The erasure journal: erasures and unsubscriptions kept outside the database, so
that restoring a backup does not bring anyone back."""

import json
import multiprocessing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from contact.models import Inquiry
from newsletter.models import NewsletterSuppression, Subscriber
from newsletter.services import marketing_objection_handle, subscription_cancel
from privacy import journal
from privacy.models import ConsentRecord, JournalEntryApplied
from privacy.registry import email_key
from privacy.services.journal import journal_pending, journal_replay
from privacy.services.rights import erasure_request_handle, subject_erase
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db

KARI = "kari@example.no"
OLA = "ola@example.no"


def journal_text(settings) -> str:
    return Path(settings.PRIVACY_ERASURE_JOURNAL).read_text()


def inquiry(email=KARI, first_name="Kari") -> Inquiry:
    return Inquiry.objects.create(
        first_name=first_name,
        last_name="Nordmann",
        email=email,
        phone="+4791234567",
        message="Et spørsmål.",
    )


def subscriber(email=OLA, name="Ola Hansen") -> Subscriber:
    from django.utils import timezone

    return Subscriber.objects.create(
        name=name,
        email=email,
        status=Subscriber.Status.ACTIVE,
        basis=Subscriber.Basis.CONSENT,
        source=Subscriber.Source.NEWSLETTER_PAGE,
        consent_text_version="v1",
        confirmed_at=timezone.now(),
    )


def restore_backup_taken_before_now():
    """What a restore does to the database: the marks of what the journal holds
    are gone (the rows themselves are put back by each test)."""
    JournalEntryApplied.objects.all().delete()


def test_an_erasure_is_journaled_by_keyed_hash_only(settings):
    inquiry()

    subject_erase(email=KARI)

    (entry,) = journal.entries()
    assert (entry.seq, entry.event, entry.key) == (1, "erasure", email_key(KARI))
    text = journal_text(settings)
    assert "kari" not in text.lower()
    assert "Nordmann" not in text
    assert JournalEntryApplied.objects.get().seq == 1  # in the same transaction


def test_an_unsubscription_and_an_objection_are_journaled(settings):
    subscription_cancel(subscriber=subscriber(), source="unsubscribe_link")
    marketing_objection_handle(email="per@example.no")  # never subscribed

    entries = journal.entries()
    assert [(e.seq, e.event, e.source) for e in entries] == [
        (1, "unsubscription", "unsubscribe_link"),
        (2, "unsubscription", "objection"),
    ]
    assert entries[1].key == email_key("per@example.no")
    text = journal_text(settings)
    assert "ola" not in text.lower()
    assert "per@" not in text
    assert "Hansen" not in text
    assert journal_pending() == []


def test_each_line_is_one_json_object_ending_in_a_newline(settings):
    subject_erase(email=KARI)
    subject_erase(email=OLA)

    lines = journal_text(settings).splitlines(keepends=True)
    assert len(lines) == 2
    assert all(line.endswith("\n") for line in lines)
    assert set(json.loads(lines[1])) == {"seq", "at", "event", "key", "source"}


def test_restored_database_erases_and_unsubscribes_again_on_replay():
    inquiry()
    subscriber()
    erasure_request_handle(email=KARI, channel="self_service")
    subscription_cancel(subscriber=Subscriber.objects.get(), source="unsubscribe_link")
    assert not Inquiry.objects.exists()
    assert not Subscriber.objects.exists()

    # The backup was taken before both: restoring it puts them back.
    restore_backup_taken_before_now()
    NewsletterSuppression.objects.all().delete()
    inquiry()
    subscriber()
    assert len(journal_pending()) == 2

    result = journal_replay()

    assert result.total == 2
    assert result.found == 2
    assert not Inquiry.objects.exists()
    assert not Subscriber.objects.exists()
    assert NewsletterSuppression.objects.filter(email_key=email_key(OLA)).exists()
    # The withdrawal lost with the restore is in the consent ledger again.
    assert ConsentRecord.objects.filter(
        subject_key=email_key(OLA), action="withdrawn", source="unsubscribe_link"
    ).exists()
    assert journal_pending() == []
    assert journal_replay().total == 0  # idempotent


def test_replay_keeps_what_the_backup_already_had_after_the_erasure():
    """Erased, then back of their own accord before the backup was taken: the
    backup holds the erasure's number, so replaying does not erase them again."""
    inquiry()
    subject_erase(email=KARI)
    inquiry(first_name="Kari igjen")  # a new inquiry, after the erasure

    assert journal_replay().total == 0
    assert Inquiry.objects.get().first_name == "Kari igjen"


def test_an_unsubscription_replayed_suppresses_even_without_a_subscription():
    marketing_objection_handle(email="per@example.no")
    restore_backup_taken_before_now()
    NewsletterSuppression.objects.all().delete()

    journal_replay()

    assert NewsletterSuppression.objects.filter(
        email_key=email_key("per@example.no")
    ).exists()


def test_an_erasure_the_journal_cannot_take_is_not_done(settings, tmp_path):
    inquiry()
    settings.PRIVACY_ERASURE_JOURNAL = str(tmp_path / "no-such-directory" / "j.jsonl")

    with pytest.raises(FileNotFoundError):
        subject_erase(email=KARI)

    assert Inquiry.objects.exists()
    assert not JournalEntryApplied.objects.exists()


def test_a_line_torn_by_a_crash_is_skipped_and_the_next_starts_afresh(settings):
    subject_erase(email=KARI)
    with open(settings.PRIVACY_ERASURE_JOURNAL, "a") as file:
        file.write('{"seq": 2, "at": "2026-')  # the process died mid-write

    subject_erase(email=OLA)

    assert [entry.seq for entry in journal.entries()] == [1, 2]
    assert journal.entries()[1].key == email_key(OLA)


def append_many(count: int) -> None:
    from datetime import UTC, datetime

    for number in range(count):
        journal.append(event="erasure", key=f"{number:064x}", at=datetime.now(UTC))


def test_processes_appending_at_once_get_one_number_each(settings):
    """Two gunicorn instances erasing at the same moment: every line whole, every
    number once (flock around read-the-last-number-and-append)."""
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=append_many, args=(40,)) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)

    assert [process.exitcode for process in processes] == [0, 0, 0]
    assert [entry.seq for entry in journal.entries()] == list(range(1, 121))


def check_output() -> str:
    out, err = StringIO(), StringIO()
    call_command("check", stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_check_warns_while_a_restored_database_is_not_replayed():
    subject_erase(email=KARI)
    assert "privacy.W002" not in check_output()

    restore_backup_taken_before_now()

    assert "(privacy.W002) 1 erasure(s) or unsubscription(s)" in check_output()
    out = StringIO()
    call_command("replay_erasure_journal", stdout=out)
    assert "Replayed 1 journal entries (erasure 1)" in out.getvalue()
    assert "privacy.W002" not in check_output()


def test_replay_command_is_silent_with_nothing_to_do():
    out = StringIO()
    call_command("replay_erasure_journal", stdout=out)
    assert out.getvalue() == ""


def test_check_deploy_fails_without_a_journal(settings):
    settings.PRIVACY_ERASURE_JOURNAL = ""
    out, err = StringIO(), StringIO()
    try:
        call_command("check", "--deploy", stdout=out, stderr=err)
        report = out.getvalue() + err.getvalue()
    except Exception as error:  # noqa: BLE001 (SystemCheckError carries the report)
        report = str(error)
    assert "privacy.E005" in report


def test_staff_front_page_says_so_until_replayed(client, admin_user):
    login_with_second_factor(client, admin_user)
    subject_erase(email=KARI)
    assert "sikkerhetskopi" not in client.get("/admin/").content.decode()

    restore_backup_taken_before_now()

    page = client.get("/admin/").content.decode()
    assert "Databasen er lagt tilbake fra en sikkerhetskopi, og 1 sletting" in page
    assert "replay_erasure_journal" in page
    journal_replay()
    assert "sikkerhetskopi" not in client.get("/admin/").content.decode()


def test_staff_front_page_says_when_the_journal_cannot_be_read(
    client, admin_user, settings
):
    login_with_second_factor(client, admin_user)
    Path(settings.PRIVACY_ERASURE_JOURNAL).mkdir()  # a directory: unreadable

    page = client.get("/admin/").content.decode()

    assert "Slettejournalen kan ikke leses eller skrives" in page
