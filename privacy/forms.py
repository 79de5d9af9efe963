from django import forms

from core.fields import EmailField
from core.forms import VisitorForm
from privacy.models import DataSubjectRequest
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


class CorrectionForm(forms.Form):
    """Staff: correct one field of the record a rectification names."""

    field = forms.ChoiceField(label="Felt som skal rettes", choices=[])
    value = forms.CharField(
        label="Riktig verdi", max_length=2000, required=False, strip=True
    )

    def __init__(self, *args, correctable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(item.name, item.label) for item in correctable]


class AnswerForm(forms.Form):
    """Staff: close a request with the answer mailed to the person."""

    status = forms.ChoiceField(
        label="Utfall",
        choices=[
            (status.value, status.label)
            for status in (
                DataSubjectRequest.Status.DONE,
                DataSubjectRequest.Status.REJECTED,
            )
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label="Svar til personen",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Skriv hva vi har gjort, eller hvorfor vi ikke gjør det personen "
        "ba om. Svaret sendes på e-post, sammen med det som er gjort (for "
        "eksempel hvilket felt som er rettet).",
        error_messages={"required": "Skriv svaret til personen."},
    )
    attach_copy = forms.BooleanField(
        label="Legg ved en kopi av opplysningene (samme JSON-fil som Mine data gir)",
        required=False,
        initial=True,
    )

    def __init__(self, *args, copy_possible: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not copy_possible:
            del self.fields["attach_copy"]
