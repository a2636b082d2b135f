"""The resignation form of the results page (input shape only; the rules are in the service)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ResignationForm(forms.Form):
    resigned_on = forms.DateField(
        label=_("Resigned on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_note(self) -> str:
        return " ".join(self.cleaned_data["note"].split())
