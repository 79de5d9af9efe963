import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsletter.models import Subscriber
from outbox.models import OutgoingEmail
from privacy.models import ConsentRecord, DataSubjectRequest, EmailVerification
from privacy.registry import registry
from privacy.services.retention import retention_enforce

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)


def enforce(*args) -> str:
    out = StringIO()
    call_command("enforce_retention", *args, stdout=out)
    return out.getvalue()


def consent_record(**fields):
    return ConsentRecord.objects.create(
        consent_id=uuid.uuid4(), action="given", revision="r", **fields
    )


def pending_subscriber(email):
    return Subscriber.objects.create(
        email=email, basis="consent", source="newsletter_page"
    )


def outgoing(to):
    return OutgoingEmail.objects.create(
        kind="test", to=to, subject="s", body_text="b", next_attempt_at=timezone.now()
    )


def request_record():
    return DataSubjectRequest.objects.create(
        kind="access", channel="self_service", subject_key="k", due_at=timezone.now()
    )


# Each privacy-owned rule: how to make a record, and which field the period counts from.
RULES = {
    "privacy.consent_record": (lambda n: consent_record(), "created_at"),
    "privacy.newsletter_pending": (
        lambda n: pending_subscriber(f"p{n}@example.no"),
        "created_at",
    ),
    "privacy.email_verification": (
        lambda n: EmailVerification.objects.create(email=f"v{n}@example.no"),
        "created_at",
    ),
    "glasoterapi.outgoing_email": (
        lambda n: outgoing(f"o{n}@example.no"),
        "created_at",
    ),
    "privacy.data_subject_request": (lambda n: request_record(), "received_at"),
}


@pytest.mark.parametrize("key", RULES)
def test_each_rule_keeps_a_record_until_its_cut_off_and_erases_it_after(key):
    make, counted_from = RULES[key]
    processing = registry.processing(key)
    now = timezone.now()
    cutoff = processing.retention.cutoff(now)
    kept, erased = make(1), make(2)
    model = processing.model
    model.objects.filter(pk=kept.pk).update(**{counted_from: cutoff + SECOND})
    model.objects.filter(pk=erased.pk).update(**{counted_from: cutoff - SECOND})

    retention_enforce(now=now)

    assert model.objects.filter(pk=kept.pk).exists()
    assert not model.objects.filter(pk=erased.pk).exists()


def test_active_subscribers_are_kept_until_they_unsubscribe():
    subscriber = pending_subscriber("aktiv@example.no")
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status="active", created_at=timezone.now() - timedelta(days=3650)
    )

    retention_enforce()

    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def old_pending_subscribers(count):
    for n in range(count):
        pending_subscriber(f"gammel{n}@example.no")
    Subscriber.objects.update(created_at=timezone.now() - timedelta(days=31))


def test_one_record_is_one_post():
    """Found running the job with work: "1 poster (contact.inquiry: slettet 1)."."""
    old_pending_subscribers(1)

    assert enforce().strip() == "1 post (privacy.newsletter_pending: slettet 1)."


def test_dry_run_counts_and_changes_nothing():
    old_pending_subscribers(3)

    output = enforce("--dry-run")

    assert "privacy.newsletter_pending: ville blitt slettet 3" in output
    assert Subscriber.objects.count() == 3


def test_a_second_run_does_nothing():
    old_pending_subscribers(3)

    first = enforce()
    second = enforce()

    assert first.strip() == "3 poster (privacy.newsletter_pending: slettet 3)."
    assert second == ""


def test_batches_cover_every_expired_row():
    old_pending_subscribers(25)

    results = {r.key: r.count for r in retention_enforce(batch_size=7)}

    assert results["privacy.newsletter_pending"] == 25
    assert not Subscriber.objects.exists()


def test_batches_skip_live_rows_between_expired_ones():
    for n in range(12):
        pending_subscriber(f"person{n}@example.no")
    keys = list(Subscriber.objects.order_by("pk").values_list("pk", flat=True))
    expired_keys = keys[::3]
    Subscriber.objects.filter(pk__in=expired_keys).update(
        created_at=timezone.now() - timedelta(days=31)
    )

    results = {r.key: r.count for r in retention_enforce(batch_size=2)}

    assert results["privacy.newsletter_pending"] == len(expired_keys)
    left = set(Subscriber.objects.values_list("pk", flat=True))
    assert left == set(keys) - set(expired_keys)


def test_a_crash_keeps_the_batches_done_and_a_rerun_finishes(monkeypatch):
    from privacy.services import retention

    old_pending_subscribers(10)
    real_erase, calls = retention.erase, []

    def crash_on_the_third_batch(processing, records, **options):
        calls.append(processing.key)
        if len(calls) == 3:
            raise RuntimeError("killed")
        return real_erase(processing, records, **options)

    monkeypatch.setattr(retention, "erase", crash_on_the_third_batch)
    with pytest.raises(RuntimeError):
        retention_enforce(batch_size=3)
    left_after_crash = Subscriber.objects.count()
    monkeypatch.undo()
    results = {r.key: r.count for r in retention_enforce(batch_size=3)}

    assert 0 < left_after_crash < 10
    assert results["privacy.newsletter_pending"] == left_after_crash
    assert not Subscriber.objects.exists()


def test_output_has_one_line_per_declaration_and_no_personal_data():
    old_pending_subscribers(2)

    lines = enforce("--verbosity", "2").strip().splitlines()

    assert len(lines) == len(registry.processings) + 1
    assert "@" not in "".join(lines)
    assert "gammel" not in "".join(lines)


def test_with_nothing_to_do_the_job_prints_and_logs_nothing(caplog):
    """Finding: 18 lines of "0" and 18 log lines every night with nothing to do."""
    output = enforce()

    assert output == ""
    assert "event=retention" not in caplog.text


def test_a_failure_stops_with_a_non_zero_exit(monkeypatch):
    from privacy.services import retention

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(retention, "in_batches", broken)
    old_pending_subscribers(1)

    with pytest.raises(RuntimeError):
        call_command("enforce_retention", stdout=StringIO())
