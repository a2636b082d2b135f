"""Forms of the desk, the code page and the voter's first step."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_CODES


class GenerateCodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of slips"),
        min_value=1,
        max_value=MAX_CODES,
        help_text=_("The summoned count plus a spare margin for spoiled or lost slips."),
    )
    base_url = forms.URLField(
        label=_("Address voters' phones use"),
        max_length=200,
        assume_scheme="http",
        help_text=_(
            "Printed in the QR codes, e.g. http://192.168.1.10:8000 on the hall's Wi-Fi. "
            "Phones must be able to open it."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Generate and download the slips (PDF)")))


class ActivateForm(forms.Form):
    code = forms.CharField(
        label=_("Code on the slip being handed over"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
        help_text=_("Type it, or scan the slip's QR code with the desk's scanner."),
    )


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Your voter code"),
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "form-control form-control-lg code-input",
                "placeholder": "7KQ2M-9XH4C-TD8WZ",
            }
        ),
    )
