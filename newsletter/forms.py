from django import forms

from core.fields import NameField
from core.forms import VisitorForm
from core.validators import INVALID_EMAIL_MESSAGE
from newsletter.services import CONSENT_TEXT


class NewsletterSignupForm(VisitorForm):
    name = NameField(
        label="Navn",
        max_length=150,
        required_message="Skriv navnet ditt.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="E-postadresse",
        max_length=254,
        error_messages={
            "required": "Skriv e-postadressen din.",
            "invalid": INVALID_EMAIL_MESSAGE,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": "Kryss av for å bekrefte at du vil ha nyhetsbrevet."
        },
    )
