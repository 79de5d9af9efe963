"""What a declaration says: a purpose (`Processing`) with its legal basis, data,
retention, erasure and export, how a person's records are found (`Find`), and what
an app registers to act on them (`Handler`). Validated when registered."""

import calendar
import dataclasses
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from core import norwegian
from core.validators import normalise_email
from privacy.values import (
    display_value,
    export_value,
    field_at,
    field_label,
    field_path_exists,
)


class LegalBasis(StrEnum):
    """GDPR art. 6(1): the lawful bases this site relies on."""

    CONSENT = "a"
    CONTRACT = "b"
    LEGAL_OBLIGATION = "c"
    LEGITIMATE_INTEREST = "f"

    @property
    def label(self) -> str:
        return LEGAL_BASIS_LABELS[self]

    @property
    def citation(self) -> str:
        return f"personvernforordningen artikkel 6 nr. 1 bokstav {self.value}"


LEGAL_BASIS_LABELS = {
    LegalBasis.CONSENT: "Samtykke",
    LegalBasis.CONTRACT: "Avtale",
    LegalBasis.LEGAL_OBLIGATION: "Rettslig forpliktelse",
    LegalBasis.LEGITIMATE_INTEREST: "Berettiget interesse",
}


@dataclasses.dataclass(frozen=True)
class Retention:
    """How long records are kept, counted from a date field on the model.

    Either `days` or `months` (an int, or the name of an int setting so that
    operators can tune it) after `counted_from`, or `financial_years` full financial
    years after the end of the year of `counted_from` (bookkeeping law counts that
    way).
    """

    counted_from: str
    after: str  # Norwegian, completes "1 år ...", e.g. "etter at saken er lukket"
    days: int | str | None = None
    months: int | str | None = None
    financial_years: int | None = None
    # Kept as long as the person wants (an active subscription); never expires by
    # time. `after` then says it all: "til du melder deg av".
    until_withdrawn: bool = False

    @property
    def text(self) -> str:
        """For people: "1 år etter at saken er lukket"."""
        if self.until_withdrawn:
            return self.after
        if self.financial_years is not None:
            return f"{self.financial_years} år {self.after}"
        if self.months is not None:
            months = self.period_months
            return f"{norwegian.count(months, 'måned', 'måneder')} {self.after}"
        return f"{norwegian.period(self.period_days)} {self.after}"

    @property
    def period_days(self) -> int | None:
        return setting_or_value(self.days)

    @property
    def period_months(self) -> int | None:
        return setting_or_value(self.months)

    def cutoff(self, now: datetime) -> datetime:
        """Records whose `counted_from` is before this moment have expired."""
        if self.financial_years is not None:
            # Kept until the end of year Y + n; expired from 1 January of Y + n + 1.
            start_of_year = now.replace(
                month=1, day=1, hour=0, minute=0, second=0, microsecond=0
            )
            return start_of_year.replace(year=now.year - self.financial_years)
        if self.months is not None:
            return months_later(now, -self.period_months)
        return now - timedelta(days=self.period_days)

    def expired(self, now: datetime) -> Q:
        if self.until_withdrawn:
            return Q(pk__in=[])
        return Q(**{f"{self.counted_from}__lt": self.cutoff(now)})

    def expires_at(self, start: datetime | None) -> datetime | None:
        """When a record counted from `start` expires (None while `start` is unset)."""
        if start is None or self.until_withdrawn:
            return None
        if self.financial_years is not None:
            return start.replace(
                year=start.year + self.financial_years + 1,
                month=1,
                day=1,
                hour=0,
                minute=0,
                second=0,
                microsecond=0,
            )
        if self.months is not None:
            return months_later(start, self.period_months)
        return start + timedelta(days=self.period_days)


def setting_or_value(value: int | str | None) -> int | None:
    """An int, or the name of an int setting."""
    return int(getattr(settings, value)) if isinstance(value, str) else value


def months_later(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months on (or back), on the month's
    last day when it is shorter: 31 August + 6 months is 28 or 29 February."""
    month_index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


class ErasureAction(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"


@dataclasses.dataclass(frozen=True)
class Erasure:
    """What erasing a record does: delete it, or blank named fields in place.

    Anonymising keeps the row for what another processing still needs (a legal
    obligation, say); `replacements` maps each personal field to its blank value.
    For most processings this is also what the generic code does; where erasing
    has consequences beyond the rows (a booking's seats), a `Handler` does it and
    this only says what happens, for the record of processing.
    """

    action: ErasureAction
    replacements: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def delete(cls) -> "Erasure":
        return cls(action=ErasureAction.DELETE)

    @classmethod
    def anonymise(cls, **replacements: Any) -> "Erasure":
        return cls(action=ErasureAction.ANONYMISE, replacements=replacements)


@dataclasses.dataclass
class ErasureReport:
    """What erasing one person's data did: records changed per processing, and
    until when a legal obligation keeps the rest."""

    erased: dict[str, int] = dataclasses.field(default_factory=dict)  # by key
    # Purpose -> until when a legal obligation keeps its records, for people:
    # "til 1. januar 2036", or the declared period where there is no date.
    kept: dict[str, str] = dataclasses.field(default_factory=dict)
    # What staff must still do by hand, in sentences naming records by number
    # only: "Påmelding 12 var fakturert og er avbestilt: ... kreditnota."
    follow_up: list[str] = dataclasses.field(default_factory=list)

    def summary(self) -> str:
        """For the request log and staff: declarations and purposes, no data."""
        erased = ", ".join(sorted(self.erased)) or "ingenting"
        kept = "; ".join(f"{purpose} ({until})" for purpose, until in self.kept.items())
        kept = kept or "ingenting"
        summary = f"Slettet eller anonymisert: {erased}. Holdt tilbake: {kept}."
        if self.follow_up:
            summary += " Følg opp: " + " ".join(self.follow_up)
        return summary

    def add(self, other: "ErasureReport") -> None:
        self.erased.update(other.erased)
        self.kept.update(other.kept)
        self.follow_up.extend(other.follow_up)


@dataclasses.dataclass(frozen=True)
class Consequence:
    """What an erasure would do beyond blanking or deleting the person's records,
    said before it is done (a seat released, colleagues told): `text` for the
    person and staff alike, `for_staff` what staff must do about it afterwards."""

    text: str
    for_staff: str = ""


@dataclasses.dataclass(frozen=True)
class Handler:
    """What the site does for some processings that share their records (pretix's
    data shredders): erase one person's records, and expire what has passed its
    cut-off. Plain functions an app writes top to bottom and registers with
    `registry.handle()`; the declarations keep saying what happens.

    `erase(*, email, now) -> ErasureReport`;
    `expire(*, now, dry_run, batch_size) -> dict[key, count]`;
    `foresee(*, email, now) -> list[Consequence]`, optional: what `erase` would do
    beyond the records, for the confirmation pages.
    """

    keys: tuple[str, ...]
    erase: Callable[..., ErasureReport]
    expire: Callable[..., dict[str, int]]
    foresee: Callable[..., list[Consequence]] | None = None


@dataclasses.dataclass(frozen=True)
class Processing:
    """One purpose for which the site keeps personal data in one model."""

    key: str  # stable id, e.g. "contact.inquiry"
    model: type[models.Model]
    purpose: str  # Norwegian
    legal_basis: LegalBasis
    legal_basis_reason: str  # Norwegian: why this basis applies
    data_categories: tuple[str, ...]  # Norwegian, e.g. ("navn", "e-postadresse")
    find: "Find"
    retention: Retention
    erasure: Erasure
    export_fields: tuple[str, ...]
    source: str = "Fra deg"  # Norwegian: where the data comes from
    # Who receives the data besides the processor that hosts the site, which
    # receives everything (`HOSTING`, added to every purpose).
    recipients: tuple["Recipient", ...] = ()
    data_subjects: str = "Besøkende og kunder"  # for the record of processing
    # About staff, not visitors: on the staff's own page in admin, not the public
    # statement (still in the record of processing and Mine data).
    about_staff: bool = False
    # Other models whose rows belong to this processing's records and go with them
    # (e.g. notes on an inquiry, deleted by cascade).
    also_covers: tuple[type[models.Model], ...] = ()
    # A data subject's erasure request cannot remove the data before the retention
    # period ends: a legal obligation holds it (GDPR art. 17(3)(b)), or a compelling
    # legitimate ground such as the security of staff accounts (art. 17(1)(c)).
    legal_hold: bool = False
    # Fields of `model` that Personvern may set when it corrects a record at the
    # person's request (GDPR art. 16), through the request in admin: the person's
    # own details, never a status, an amount or what bookkeeping has fixed. Empty:
    # the group that owns the record corrects it.
    correctable: tuple[str, ...] = ()

    @property
    def all_recipients(self) -> tuple["Recipient", ...]:
        return (HOSTING, *self.recipients)

    @property
    def recipients_text(self) -> str:
        """ "Lykke Media AS, Norge (databehandler: ...); ..." for people."""
        return "; ".join(recipient.text for recipient in self.all_recipients)

    @property
    def transfers(self) -> str:
        """GDPR art. 13(1)(f): transfers outside the EEA, with their basis."""
        abroad = [r for r in self.all_recipients if r.transfer]
        if not abroad:
            return "Ingen: opplysningene blir i EØS"
        return "; ".join(f"{r.name}: {r.transfer}" for r in abroad)

    @property
    def all_models(self) -> tuple[type[models.Model], ...]:
        return (self.model, *self.also_covers)

    def display_record(self, record: Mapping[str, Any]) -> list[str]:
        """An exported record's values as people read them, in export order."""
        return [
            display_value(field_at(self.model, path), record[path])
            for path in self.export_fields
        ]

    def export_record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """A record for the download (GDPR art. 15 and 20): Norwegian keys, choices
        by their labels, moments in the site's time zone with the offset."""
        labels = self.export_labels
        exported = {"nr": record["id"]}
        for label, path in zip(labels, self.export_fields, strict=True):
            key = label if labels.count(label) == 1 else f"{label} ({path})"
            exported[key] = export_value(field_at(self.model, path), record[path])
        return exported

    @property
    def export_labels(self) -> list[str]:
        """The exported fields' names as people read them (their verbose names)."""
        return [field_label(self.model, path) for path in self.export_fields]

    def records_for(self, email: str) -> models.QuerySet:
        """This data subject's records, found by normalised e-mail address."""
        return self.find.records_for(self.model, email)

    def expired_records(self, now: datetime) -> models.QuerySet:
        return self.find.records(self.model).filter(self.retention.expired(now))


@dataclasses.dataclass(frozen=True)
class Recipient:
    """Someone outside the business who receives personal data (GDPR art.
    13(1)(e)-(f)): a processor acting for us or a controller of its own.

    `name` and `country` are given, or read from a setting written "Name, Country"
    (`setting`), so that operators name their own e-mail provider and accounting
    system.
    """

    role: str  # Norwegian: "databehandler: leverer e-posten vår"
    setting: str = ""
    given_name: str = ""
    given_country: str = ""
    # How a transfer outside the EEA is lawful (GDPR art. 45-46); empty inside it.
    transfer: str = ""

    @property
    def name(self) -> str:
        return self.given_name or self.configured()[0]

    @property
    def country(self) -> str:
        return self.given_country or self.configured()[1]

    def configured(self) -> tuple[str, str]:
        value = getattr(settings, self.setting, "") if self.setting else ""
        name, _, country = value.rpartition(",")
        return (name.strip(), country.strip()) if name else (value.strip(), "")

    @property
    def text(self) -> str:
        where = f", {self.country}" if self.country else ""
        return f"{self.name}{where} ({self.role})"


HOSTING = Recipient(
    role="databehandler: drifter nettstedet og lagrer opplysningene",
    setting="PRIVACY_DATA_PROCESSOR",
)
EMAIL_PROVIDER = Recipient(
    role="databehandler: leverer e-posten nettstedet sender",
    setting="PRIVACY_EMAIL_PROVIDER",
)
ACCOUNTING = Recipient(
    role="databehandler: regnskapssystemet fakturaene føres i",
    setting="PRIVACY_ACCOUNTING_SYSTEM",
)

# Google acts for us as a processor for Google Analytics (Google's data processing
# terms), and only for visitors who said yes to statistics.
GOOGLE_ANALYTICS = Recipient(
    role="databehandler: Google Analytics, bare hvis du sier ja til statistikk",
    given_name="Google Ireland Ltd.",
    given_country="Irland",
    transfer="kan overføres til Google LLC i USA, som er sertifisert under "
    "rammeverket for personvern mellom EU og USA (EU-US Data Privacy Framework)",
)


@dataclasses.dataclass(frozen=True, init=False)
class Find:
    """How a person's records are found: by the fields holding their address, among
    the rows this purpose covers.

    `Find("email")`; `Find("email", "invoice_email", among=Booking.objects.invoiced)`
    when purposes share a model (a queryset method the model names); `hashed` when
    the fields keep only the address's keyed hash (`email_key`), as the consent
    ledger does.
    """

    fields: tuple[str, ...]
    among: Callable[[], models.QuerySet] | None = None
    hashed: bool = False

    def __init__(self, *fields: str, among=None, hashed: bool = False):
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "among", among)
        object.__setattr__(self, "hashed", hashed)

    def records(self, model: type[models.Model]) -> models.QuerySet:
        if self.among is None:
            return model._default_manager.all()
        return self.among()

    def records_for(self, model: type[models.Model], email: str) -> models.QuerySet:
        address = email_key(email) if self.hashed else normalise_email(email)
        lookup = Q()
        for field in self.fields:
            lookup |= Q(**{field: address})
        return self.records(model).filter(lookup).distinct()


def email_key(address: str) -> str:
    """A keyed hash (HMAC-SHA256 with PRIVACY_EMAIL_KEY_SECRET) of the normalised
    address.

    Lets the site recognise an address it has deleted (suppression, proof of
    consent) without keeping the address. Its own key, so that SECRET_KEY can be
    rotated without breaking the link.
    """
    return salted_hmac(
        "privacy.email_key",
        normalise_email(address),
        secret=settings.PRIVACY_EMAIL_KEY_SECRET,
        algorithm="sha256",
    ).hexdigest()


def validate_processing(processing: Processing) -> None:
    problems = list(processing_problems(processing))
    if problems:
        raise ImproperlyConfigured(
            f"Processing {processing.key!r}: {'; '.join(problems)}."
        )


def processing_problems(processing: Processing) -> Iterable[str]:
    if not isinstance(processing.legal_basis, LegalBasis):
        yield f"legal_basis {processing.legal_basis!r} is not a LegalBasis"
    for attribute in ("key", "purpose", "legal_basis_reason", "source"):
        if not str(getattr(processing, attribute)).strip():
            yield f"{attribute} is empty"
    if not all(isinstance(r, Recipient) for r in processing.recipients):
        yield "recipients must be Recipient declarations"
    if not processing.data_categories:
        yield "data_categories is empty"
    if not processing.find.fields:
        yield "find names no field: how is a data subject's record found?"
    if not processing.export_fields:
        yield "export_fields is empty"
    model = processing.model
    for path in (*processing.find.fields, processing.retention.counted_from):
        if not field_path_exists(model, path):
            yield f"{model.__name__} has no field {path!r}"
    for name in (*processing.export_fields, *processing.erasure.replacements):
        if not field_path_exists(model, name):
            yield f"{model.__name__} has no field {name!r}"
    for name in processing.correctable:
        if not correctable_field(model, name):
            yield f"{model.__name__}.{name} is not an editable field of its own"
    if processing.find.records(model).model is not model:
        yield f"find looks among rows that are not {model.__name__}s"
    yield from retention_problems(processing.retention)
    if (
        processing.erasure.action == ErasureAction.ANONYMISE
        and not processing.erasure.replacements
    ):
        yield "anonymising erasure names no fields"


def correctable_field(model: type[models.Model], name: str) -> bool:
    """A concrete, editable field on the model itself, not a relation."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and field.editable and not field.is_relation


def retention_problems(retention: Retention) -> Iterable[str]:
    periods = [retention.days, retention.months, retention.financial_years]
    wanted = 0 if retention.until_withdrawn else 1
    if sum(period is not None for period in periods) != wanted:
        yield (
            "retention needs exactly one of days, months and financial_years, "
            "or until_withdrawn alone"
        )
    for period in (retention.days, retention.months):
        if isinstance(period, str) and not isinstance(
            getattr(settings, period, None), int
        ):
            yield f"retention setting {period!r} is not an int setting"
    if not retention.after.strip():
        yield "retention text `after` is empty"
