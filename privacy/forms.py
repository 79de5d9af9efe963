from django import forms

from core.fields import EmailField
from core.forms import VisitorForm
from privacy.registry import registry


class ConsentForm(forms.Form):
    CHOICES = [
        ("accept", "Godta"),
        ("reject", "Avvis"),
        ("save", "Lagre valg"),
        ("withdraw", "Trekk tilbake"),
    ]
    choice = forms.ChoiceField(choices=CHOICES)
    categories = forms.MultipleChoiceField(required=False, choices=[])
    next = forms.CharField(required=False, max_length=2000)
    source = forms.ChoiceField(
        required=False,
        choices=[("banner", "banner"), ("settings", "settings"), ("footer", "footer")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (category.value, category.label)
            for category in registry.optional_categories()
        ]

    def granted(self) -> set[str]:
        """The categories this submission grants."""
        choice = self.cleaned_data["choice"]
        if choice == "accept":
            return {category.value for category in registry.optional_categories()}
        if choice == "save":
            return set(self.cleaned_data["categories"])
        return set()


class RightsStartForm(VisitorForm):
    email = EmailField(
        label="E-postadresse", required_message="Skriv e-postadressen din."
    )


class RectificationForm(VisitorForm):
    processing = forms.CharField(widget=forms.HiddenInput)
    record = forms.IntegerField(widget=forms.HiddenInput)
    details = forms.CharField(
        label="Hva er feil, og hva skal det være?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv hva som skal rettes."},
    )

    def clean_processing(self):
        key = self.cleaned_data["processing"]
        if key not in {p.key for p in registry.processings}:
            raise forms.ValidationError("Ukjent formål.")
        return key


class ObjectionForm(VisitorForm):
    details = forms.CharField(
        label="Hva protesterer du mot, og hvorfor?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv hva du protesterer mot."},
    )
