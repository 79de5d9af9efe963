"""The sign-up form: the contact, the other participants, invoicing, and the
newsletter notice. Works without JavaScript: "Legg til en deltaker" is a submit
button that shows the form again with one more row and everything kept."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from core.fields import EmailField, LineField, NameField
from core.forms import VisitorForm
from core.submissions import SentOnceForm
from core.validators import clean_orgnr
from courses.models import INVOICE_FIELDS, POSTCODE_VALIDATOR, Booking
from courses.services import InvoiceDetails, ParticipantDetails, SignupDetails

# Markedsføringsloven § 15 (soft opt-in): customers may get e-mail about similar
# services if they were told so when they gave their address, and offered an easy,
# free way to say no, there and then. Every wording shown is kept here, under the
# version recorded with each booking; change the text = add a version.
# "{months}" is NEWSLETTER_CUSTOMER_MONTHS, which every version since 2026-12 names.
NEWSLETTER_NOTICES = {
    "2026-11": (
        "Som kunde hos oss kan du få e-post om lignende kurs og seminarer. Du kan "
        "når som helst si nei takk med lenken nederst i hver e-post."
    ),
    "2026-12": (
        "Når du har vært på kurset, kan du få e-post om lignende kurs og seminarer "
        "fra oss i {months} måneder etter det siste kurset ditt. Du kan når som "
        "helst si nei takk med lenken nederst i hver e-post."
    ),
}
NEWSLETTER_NOTICE_VERSION = "2026-12"


def newsletter_notice() -> str:
    """The notice shown at sign-up today, under NEWSLETTER_NOTICE_VERSION."""
    return NEWSLETTER_NOTICES[NEWSLETTER_NOTICE_VERSION].format(
        months=settings.NEWSLETTER_CUSTOMER_MONTHS
    )


NEWSLETTER_DECLINE_LABEL = "Nei takk, jeg vil ikke ha e-post om lignende kurs"

BLANK_PARTICIPANT_ROWS = 2
PARTICIPANT_PREFIX = "deltaker"


def text_input(autocomplete: str, **attrs) -> forms.TextInput:
    return forms.TextInput(attrs={"autocomplete": autocomplete, **attrs})


class InvoiceForm(VisitorForm):
    """Who pays, and how: on the sign-up form, and on the page where a seat from
    the waitlist is confirmed. A private person needs no company fields: their
    name and address, or an organisation number for a business."""

    invoice_name = LineField(
        label="Fakturamottaker",
        required_message="Skriv hvem fakturaen skal til: firmanavnet, eller navnet "
        "ditt om du betaler selv.",
        max_length=200,
        help_text="Firmanavnet, eller navnet ditt om du betaler selv.",
        widget=text_input("organization"),
    )
    orgnr = forms.CharField(
        label="Organisasjonsnummer (valgfritt for privatpersoner)",
        required=False,
        max_length=20,
        help_text="Ni sifre. Trengs for EHF. Med organisasjonsnummer trenger vi "
        "ingen fakturaadresse.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Required only without an organisation number: an invoice names the buyer
    # with "navn og adresse eller organisasjonsnummer" (bokføringsforskriften
    # § 5-1-1 nr. 4).
    invoice_street = LineField(
        label="Fakturaadresse",
        required=False,
        max_length=200,
        widget=text_input("address-line1"),
    )
    invoice_postcode = forms.CharField(
        label="Postnummer",
        required=False,
        max_length=10,
        widget=text_input("postal-code", inputmode="numeric", size="4"),
    )
    invoice_place = LineField(
        label="Poststed",
        required=False,
        widget=text_input("address-level2"),
    )
    invoice_method = forms.ChoiceField(
        label="Hvordan vil du ha fakturaen?",
        choices=Booking.InvoiceMethod.choices,
        initial=Booking.InvoiceMethod.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": "Velg hvordan du vil ha fakturaen."},
    )
    invoice_email = EmailField(
        label="E-post for faktura (valgfritt)",
        required=False,
        help_text="La stå tomt for å bruke e-postadressen din.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    your_reference = LineField(
        label="Deres referanse (valgfritt)",
        required=False,
        help_text="For eksempel bestillingsnummer, prosjekt eller navnet på den som "
        "skal godkjenne fakturaen.",
        widget=text_input("off"),
    )

    def clean_orgnr(self):
        value = self.cleaned_data["orgnr"].strip()
        return clean_orgnr(value) if value else ""

    ADDRESS_MISSING = {
        "invoice_street": "Skriv gateadressen eller postboksen fakturaen skal til",
        "invoice_postcode": "Skriv postnummeret (fire sifre)",
        "invoice_place": "Skriv poststedet",
    }

    def clean_invoice_postcode(self):
        value = self.cleaned_data["invoice_postcode"].strip()
        if value:
            POSTCODE_VALIDATOR(value)
        return value

    def clean(self):
        cleaned = super().clean()
        # Without the invoice fields (the waitlist's form) there is nothing to check.
        if "orgnr" in cleaned and not cleaned["orgnr"]:
            for field, message in self.ADDRESS_MISSING.items():
                if field in cleaned and not cleaned[field]:
                    self.add_error(
                        field,
                        ValidationError(
                            f"{message}, eller organisasjonsnummeret om en bedrift "
                            "betaler.",
                            code="required",
                        ),
                    )
        if (
            cleaned.get("invoice_method") == Booking.InvoiceMethod.EHF
            and "orgnr" in cleaned
            and not cleaned["orgnr"]
        ):
            self.add_error(
                "orgnr",
                ValidationError(
                    "EHF sendes til organisasjonsnummeret: skriv det, eller velg "
                    "faktura på e-post.",
                    code="orgnr_required_for_ehf",
                ),
            )
        return cleaned

    def invoice_details(self, *, contact_email: str) -> InvoiceDetails:
        """The invoice as the form gives it; by e-mail to `contact_email` unless
        another address was given. All blank on the waitlist's form."""
        data = self.cleaned_data
        if "invoice_name" not in self.fields:
            return InvoiceDetails(**dict.fromkeys(INVOICE_FIELDS, ""))
        by_email = data["invoice_method"] == Booking.InvoiceMethod.EMAIL
        return InvoiceDetails(
            invoice_name=data["invoice_name"],
            orgnr=data["orgnr"],
            invoice_street=data["invoice_street"],
            invoice_postcode=data["invoice_postcode"],
            invoice_place=data["invoice_place"],
            invoice_method=data["invoice_method"],
            invoice_email=(data["invoice_email"] or contact_email) if by_email else "",
            your_reference=data["your_reference"],
        )


class SignupForm(SentOnceForm, InvoiceForm):
    """The person signing up, and the invoice. Participants are a formset.

    `contact_only` is the waitlist's form: a course that is full asks for contact
    details only, and for the invoice when a seat is offered (issue #17)."""

    field_order = ["first_name", "last_name", "email", "company", "booker_attends"]

    first_name = NameField(
        label="Fornavn",
        required_message="Skriv fornavnet ditt.",
        widget=text_input("given-name"),
    )
    last_name = NameField(
        label="Etternavn",
        required_message="Skriv etternavnet ditt.",
        widget=text_input("family-name"),
    )
    email = EmailField(
        label="E-postadresse",
        required_message="Skriv e-postadressen din.",
        help_text="Hit sender vi bekreftelsen og lenken for å avbestille.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    company = LineField(
        label="Firma eller tilknytning (valgfritt)",
        required=False,
        max_length=200,
        widget=text_input("organization"),
    )
    booker_attends = forms.BooleanField(
        label="Jeg skal delta selv", required=False, initial=True
    )
    newsletter_declined = forms.BooleanField(
        label=NEWSLETTER_DECLINE_LABEL, required=False
    )

    def __init__(self, *args, contact_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_only = contact_only
        if contact_only:
            for name in INVOICE_FIELDS:
                del self.fields[name]

    def signup_details(self, participants: list[ParticipantDetails]) -> SignupDetails:
        data = self.cleaned_data
        everyone = list(participants)
        if data["booker_attends"]:
            everyone.insert(
                0,
                ParticipantDetails(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                ),
            )
        return SignupDetails(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            company=data["company"],
            invoice=self.invoice_details(contact_email=data["email"]),
            newsletter_declined=data["newsletter_declined"],
            newsletter_notice_version=NEWSLETTER_NOTICE_VERSION,
            participants=tuple(everyone),
        )


def participants_named(form: SignupForm, formset) -> int:
    """How many take part as the form stands: the booker if they attend, and each
    row with a first name (blank rows do not count)."""
    booker = 1 if form["booker_attends"].value() else 0
    named = sum(1 for row in formset if (row["first_name"].value() or "").strip())
    return booker + named


class ParticipantForm(VisitorForm):
    first_name = NameField(
        label="Fornavn",
        required_message="Skriv deltakerens fornavn.",
        widget=text_input("off"),
    )
    last_name = NameField(
        label="Etternavn",
        required_message="Skriv deltakerens etternavn.",
        widget=text_input("off"),
    )
    email = EmailField(
        label="E-postadresse",
        required_message="Skriv deltakerens e-postadresse.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class BaseParticipantFormSet(forms.BaseFormSet):
    """Other participants: every row may be left blank (`initial_form_count` is
    always 0), and a row shown again after "Legg til en deltaker" keeps its
    input as initial values, not as a submission with errors."""

    default_error_messages = {
        "missing_management_form": "Skjemaet var ufullstendig. Last siden på nytt "
        "og prøv igjen.",
        "too_many_forms": "Én påmelding kan ha høyst %(num)d deltakere.",
        "too_few_forms": "Påmeldingen må ha minst %(num)d deltaker.",
    }

    def __init__(self, *args, rows: int = BLANK_PARTICIPANT_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra = max(0, min(rows, participant_limit()))

    def initial_form_count(self):
        return 0

    def focus_new_row(self) -> None:
        """After "Legg til en deltaker til": the page opens at the new row, with
        the cursor in it, instead of at the top (a long way up on a phone)."""
        self.forms[-1].fields["first_name"].widget.attrs["autofocus"] = True

    def participants(self) -> list[ParticipantDetails]:
        return [
            ParticipantDetails(**form.cleaned_data)
            for form in self.forms
            if form.cleaned_data  # blank rows clean to {}
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm,
    formset=BaseParticipantFormSet,
    extra=BLANK_PARTICIPANT_ROWS,
    max_num=100,
    absolute_max=100,
)


def participant_limit() -> int:
    return settings.COURSES_MAX_PARTICIPANTS_PER_BOOKING


def count_problem(*, booker_attends: bool, others: int) -> str | None:
    """A message when the booking has no participant, or more than one booking
    may have; None when the number is fine."""
    total = int(booker_attends) + others
    if total == 0:
        return (
            "Påmeldingen har ingen deltakere: kryss av for at du skal delta selv, "
            "eller fyll inn minst én deltaker."
        )
    if total > participant_limit():
        return (
            f"Én påmelding kan ha høyst {participant_limit()} deltakere. Ta kontakt "
            "med oss for større grupper."
        )
    return None


def form_initial(form: forms.Form, data) -> dict:
    """The values a visitor sent, as initial values for the form shown again."""
    return {
        name: field.widget.value_from_datadict(data, None, form.add_prefix(name))
        for name, field in form.fields.items()
    }


def formset_initial(formset: forms.BaseFormSet, data) -> list[dict]:
    return [form_initial(form, data) for form in formset.forms]


class PhoneSignupForm(SignupForm):
    """A booking staff take by phone: the sign-up form's fields and checks, worded
    for the person typing it in, and whether the contact gets the confirmation."""

    send_confirmation = forms.BooleanField(
        label="Send bekreftelse på e-post til kontaktpersonen",
        required=False,
        initial=True,
        help_text="Andre deltakere enn kontaktpersonen får uansett e-post om at de "
        "er meldt på, og hvem som ga oss opplysningene (personvernforordningen "
        "art. 14).",
    )
    join_waitlist = forms.BooleanField(
        label="Sett påmeldingen på ventelisten hvis det ikke er plass til alle",
        required=False,
    )

    STAFF_LABELS = {
        "first_name": "Kontaktpersonens fornavn",
        "last_name": "Kontaktpersonens etternavn",
        "email": "Kontaktpersonens e-postadresse",
        "booker_attends": "Kontaktpersonen skal delta selv",
        "invoice_method": "Faktura",
        "newsletter_declined": "Kunden takket nei til e-post om lignende kurs",
    }

    # The public form speaks to the visitor ("Skriv fornavnet ditt"); staff type
    # in someone else's details.
    STAFF_REQUIRED = {
        "first_name": "Skriv kontaktpersonens fornavn.",
        "last_name": "Skriv kontaktpersonens etternavn.",
        "email": "Skriv kontaktpersonens e-postadresse.",
        "invoice_name": "Skriv hvem fakturaen skal til: firmanavnet, eller "
        "kontaktpersonens navn om hen betaler selv.",
    }
    STAFF_HELP = {
        "email": "Hit går bekreftelsen og avbestillingslenken.",
        "invoice_name": "Firmanavnet, eller kontaktpersonens navn om hen betaler selv.",
        "invoice_email": "La stå tomt for å bruke kontaktpersonens adresse.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.STAFF_LABELS.items():
            self.fields[name].label = label
        for name, message in self.STAFF_REQUIRED.items():
            self.fields[name].error_messages = {
                **self.fields[name].error_messages,
                "required": message,
            }
        for name, help_text in self.STAFF_HELP.items():
            self.fields[name].help_text = help_text
        self.fields["newsletter_declined"].help_text = (
            f"Les dette for kunden og kryss av hvis hen sier nei takk: «"
            f"{newsletter_notice()}»"
        )
