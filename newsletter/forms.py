from django import forms

from core.fields import EmailField, NameField
from core.forms import VisitorForm
from newsletter.services import CONSENT_TEXT


class NewsletterSignupForm(VisitorForm):
    name = NameField(
        label="Navn",
        max_length=150,
        required_message="Skriv navnet ditt.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = EmailField(
        label="E-postadresse", required_message="Skriv e-postadressen din."
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": "Kryss av for å bekrefte at du vil ha nyhetsbrevet."
        },
    )
