"""The base of every form a visitor fills in."""

from django import forms


class VisitorForm(forms.Form):
    """Labels without Django's trailing colon, as the site writes them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
