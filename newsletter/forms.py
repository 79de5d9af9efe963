from django import forms

from core.forms import VisitorForm
from core.validators import INVALID_EMAIL_MESSAGE
from newsletter.services import CONSENT_TEXT


class NewsletterSignupForm(VisitorForm):
    name = forms.CharField(
        label="Navn",
        max_length=150,
        strip=True,
        error_messages={"required": "Skriv navnet ditt."},
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

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if any(ord(character) < 32 for character in name):
            raise forms.ValidationError("Navnet kan ikke inneholde kontrolltegn.")
        return name
