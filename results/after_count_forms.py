"""The small forms of the documents page. Shape only: lengths, characters, dates that parse;
the service decides the rest (certified, dates against the session's)."""

from __future__ import annotations

import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# A document number as registers write it: "15", "15/NQ-HĐND", "02-BC/TU" (letters of any
# language, digits, "/", "-", "." and spaces).
NUMBER = re.compile(r"^[\w./\- ]+$")
MAX_RECIPIENT_LINES = 20
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _helper(submit_label: str, form_id: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = True
    helper.form_id = form_id
    helper.add_input(Submit("submit", submit_label))
    return helper


def _number(value: str) -> str:
    value = " ".join(value.split())
    if value and not NUMBER.match(value):
        raise ValidationError(
            _("Use letters, digits, “/”, “-” and “.” only, e.g. 15/NQ-HĐND."), code="number"
        )
    return value


class DocumentDetailsForm(forms.Form):
    addressee = forms.CharField(
        label=_("Addressed to (“Kính gửi”)"),
        max_length=300,
        required=False,
        help_text=_("Empty: the report prints a line to fill in by hand."),
    )
    recipients = forms.CharField(
        label=_("Recipients (“Nơi nhận”), one per line"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The filing line (“Lưu”) is added at the end."),
    )
    report_number = forms.CharField(
        label=_("Report number"),
        max_length=20,
        required=False,
        help_text=_("The register's number only, e.g. 12. Empty: a blank to fill in."),
    )
    report_date = forms.DateField(
        label=_("Report date"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the date of the conference."),
    )

    def __init__(self, *args: Any, report: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not report:  # the resolution prints only the recipients
            for name in ("addressee", "report_number", "report_date"):
                del self.fields[name]
        self.helper = _helper(_("Save the details"), "document-details")

    def clean_addressee(self) -> str:
        return " ".join(self.cleaned_data["addressee"].split())

    def clean_report_number(self) -> str:
        return _number(self.cleaned_data["report_number"])

    def clean_recipients(self) -> str:
        lines = [" ".join(line.split()) for line in self.cleaned_data["recipients"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_RECIPIENT_LINES:
            raise ValidationError(
                _("At most %(n)s recipients."), code="too_many", params={"n": MAX_RECIPIENT_LINES}
            )
        if any(len(line) > 200 for line in lines):
            raise ValidationError(_("Each recipient fits on one line (200 characters)."))
        return "\n".join(lines)


class AdoptionForm(forms.Form):
    number = forms.CharField(
        label=_("Resolution number"),
        max_length=30,
        help_text=_("As adopted, e.g. 15/NQ-HĐND."),
    )
    date = forms.DateField(
        label=_("Adopted on"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the adoption"), "resolution-adoption")

    def clean_number(self) -> str:
        value = _number(self.cleaned_data["number"])
        if not value:
            raise ValidationError(_("Enter the resolution's number."), code="required")
        return value
