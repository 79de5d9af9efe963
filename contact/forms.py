import re
import time

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from contact import spam
from contact.models import Inquiry
from core.fields import LineField, NameField, TextField
from core.submissions import SentOnceForm
from core.validators import INVALID_EMAIL_MESSAGE, clean_orgnr
from privacy.registry import normalise_email

MESSAGE_MAX_LENGTH = 5000
NAME_MAX_LENGTH = 100
COMPANY_MAX_LENGTH = 200
# What the visitor types, in form order.
VISITOR_FIELDS = ("first_name", "last_name", "email", "phone", "company", "message")

PHONE_SEPARATORS = re.compile(r"[\s.\-]")
NORWEGIAN_NUMBER = re.compile(r"[2-9][0-9]{7}")
# E.164: a country code that does not start with 0, at most 15 digits in all.
E164_DIGITS = re.compile(r"[1-9][0-9]{6,14}")


def normalise_phone(value: str) -> str:
    """The one form phone numbers are stored in: E.164, "+4791234567".

    Norwegian numbers have eight digits and may be written with +47 or 0047 and
    spaces; other countries' numbers must start with + (or 00) and a country code.
    Raises ValueError for anything else.
    """
    compact = PHONE_SEPARATORS.sub("", value)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+"):
        if NORWEGIAN_NUMBER.fullmatch(compact):
            return "+47" + compact
        raise ValueError("not a Norwegian number")
    digits = compact[1:]
    if digits.startswith("47"):
        if NORWEGIAN_NUMBER.fullmatch(digits[2:]):
            return compact
        raise ValueError("not a Norwegian number")
    if E164_DIGITS.fullmatch(digits):
        return compact
    raise ValueError("not an E.164 number")


def phone_display(e164: str) -> str:
    """A stored number as people read it: "+47 912 34 567" for a Norwegian mobile,
    "+47 22 12 34 56" for other Norwegian numbers; other countries' as stored.
    Spaced, Excel also keeps it as text rather than a number without its +."""
    if not (e164.startswith("+47") and NORWEGIAN_NUMBER.fullmatch(e164[3:])):
        return e164
    local = e164[3:]
    if local[0] in "49":
        return f"+47 {local[:3]} {local[3:5]} {local[5:]}"
    return f"+47 {local[:2]} {local[2:4]} {local[4:6]} {local[6:]}"


def name_field(label: str, autocomplete: str, what: str) -> NameField:
    return NameField(
        label=label,
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": f"Skriv {what}.",
            "max_length": f"{label} kan ha høyst {NAME_MAX_LENGTH} tegn.",
        },
        widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
    )


class VisitorFieldsCleaning:
    """Cleaning shared by the contact form and staff's corrections."""

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if not phone:
            return ""  # optional: the answer goes by e-mail
        try:
            return normalise_phone(phone)
        except ValueError:
            raise ValidationError(
                "Skriv et telefonnummer med åtte sifre (for eksempel 912 34 567), "
                "eller et utenlandsk nummer som begynner med + og landskode.",
                code="invalid_phone",
            ) from None


class ContactForm(VisitorFieldsCleaning, SentOnceForm):
    """The contact form. Spam checks (honeypot, fill time) are part of `clean()`;
    the rate limit needs the request and is checked by the view."""

    HONEYPOT_MESSAGE = (
        "Vi kunne ikke ta imot henvendelsen. Se over skjemaet og send det igjen, "
        "eller send oss en e-post til {email}."
    )
    FILL_TIME_MESSAGES = {
        "too_fast": (
            "Skjemaet kom svært raskt tilbake, så vi ber deg bekrefte det. Se over "
            "at alt stemmer, og send det igjen."
        ),
        "expired": (
            "Skjemaet har vært åpent så lenge at vi må be deg sende det igjen. "
            "Det du har skrevet, står der fortsatt."
        ),
        "invalid": (
            "Noe gikk galt med skjemaet. Send det igjen – det du har skrevet, står "
            "der fortsatt."
        ),
    }

    first_name = name_field("Fornavn", "given-name", "fornavnet ditt")
    last_name = name_field("Etternavn", "family-name", "etternavnet ditt")
    email = forms.EmailField(
        label="E-postadresse",
        max_length=254,
        error_messages={
            "required": "Skriv e-postadressen din, så vi kan svare deg.",
            "invalid": INVALID_EMAIL_MESSAGE,
            "max_length": "E-postadressen er for lang.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = LineField(
        label="Telefon (valgfritt)",
        required=False,
        max_length=30,
        help_text=(
            "Hvis du vil at vi ringer deg. Norsk nummer med åtte sifre, eller "
            "utenlandsk med landskode (+46 …)."
        ),
        error_messages={"max_length": "Telefonnummeret er for langt."},
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
        ),
    )
    company = LineField(
        label="Firma eller tilknytning (valgfritt)",
        required=False,
        max_length=COMPANY_MAX_LENGTH,
        error_messages={
            "max_length": f"Firmanavnet kan ha høyst {COMPANY_MAX_LENGTH} tegn.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    message = TextField(
        label="Melding",
        max_length=MESSAGE_MAX_LENGTH,
        help_text=f"Høyst {MESSAGE_MAX_LENGTH} tegn.",
        error_messages={
            "required": "Skriv hva henvendelsen gjelder.",
            "max_length": (
                f"Meldingen kan ha høyst {MESSAGE_MAX_LENGTH} tegn. "
                "Kort den ned, eller send resten i en ny henvendelse."
            ),
        },
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Separately worded and unticked: asking a question is not consent to
    # marketing. Ticking it only starts the newsletter's double opt-in.
    newsletter = forms.BooleanField(
        label="Ja, send meg også nyhetsbrevet om nye kurs",
        help_text="Du får en e-post der du må bekrefte at du vil ha nyhetsbrevet.",
        required=False,
    )

    def clean(self):
        cleaned_data = super().clean()
        if self.data.get(spam.HONEYPOT_FIELD):
            # Deliberately vague: tell a bot nothing about what gave it away.
            raise ValidationError(
                self.HONEYPOT_MESSAGE.format(email=settings.BUSINESS_EMAIL),
                code="honeypot",
            )
        problem = spam.fill_time_problem(self.data.get(spam.STARTED_FIELD))
        # A person who sent the form empty by mistake needs the field errors, not
        # to hear that they were faster than a human.
        if problem and not (problem == "too_fast" and self.errors):
            raise ValidationError(self.FILL_TIME_MESSAGES[problem], code=problem)
        return cleaned_data

    @property
    def started_token(self) -> str:
        """For the hidden field: the visitor's own timestamp while it is good (so
        a quick correction after a field error is not "too fast"), else a new one.
        A form refused as too fast may be sent again at once: a person whose
        browser filled it in is quicker than the trap, and their input is kept."""
        submitted = self.data.get(spam.STARTED_FIELD)
        problem = spam.fill_time_problem(submitted)
        if problem is None:
            return submitted
        if problem == "too_fast":
            return spam.started_token(
                now=time.time() - settings.CONTACT_MIN_FILL_SECONDS
            )
        return spam.started_token()

    def inquiry_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in VISITOR_FIELDS}
        return data | {
            "wants_newsletter": self.cleaned_data["newsletter"],
            "form_key": self.form_key(),
        }


class InquiryAdminForm(forms.ModelForm):
    """Staff's part of an inquiry: status, assignee and the organisation number."""

    orgnr = forms.CharField(
        label="Organisasjonsnummer",
        required=False,
        max_length=20,  # nine digits, typed with or without spaces
        help_text="Ni sifre, fra Enhetsregisteret. Kontrolleres med MOD11.",
    )

    class Meta:
        model = Inquiry
        fields = ["status", "assigned_to", "orgnr"]

    def clean_orgnr(self):
        value = self.cleaned_data["orgnr"].strip()
        return clean_orgnr(value) if value else ""


class InquiryRectifyForm(VisitorFieldsCleaning, forms.ModelForm):
    """A correction of what the visitor typed, made on the visitor's request."""

    reason = forms.CharField(
        label="Hvem ba om rettingen, og hvordan?",
        max_length=500,
        help_text="For eksempel «Kunden ba om det på telefon 3. mars». Lagres i "
        "oppfølgingshistorikken; de gamle verdiene lagres ikke.",
        error_messages={"required": "Skriv hvem som ba om rettingen."},
    )

    class Meta:
        model = Inquiry
        fields = list(VISITOR_FIELDS)

    first_name = name_field("Fornavn", "off", "fornavnet")
    last_name = name_field("Etternavn", "off", "etternavnet")
    phone = LineField(label="Telefon", max_length=30, required=False)
    company = LineField(
        label="Firma eller tilknytning",
        required=False,
        max_length=COMPANY_MAX_LENGTH,
    )
    message = TextField(
        label="Melding", max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea
    )
