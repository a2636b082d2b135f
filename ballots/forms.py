"""Forms of the desk, the code page and the voter's first step."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from sessions.forms import OneLineText

from .services import MAX_CODES
from .tally_checks import (
    committee_problems,
    committee_rows,
    count_validator,
    date_problems,
    parse_count,
    tally_import_problems,
)


class GenerateCodesForm(forms.Form):
    SPARE = "spare"
    REPLACE = "replace"

    kind = forms.ChoiceField(
        label=_("Slips already printed"),
        choices=[
            (SPARE, _("Print a spare stack: the printed slips stay valid")),
            (REPLACE, _("Print a new set: every printed slip becomes void")),
        ],
        initial=SPARE,
        widget=forms.RadioSelect,
    )
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
        widget=forms.URLInput(attrs={"list": "phone-addresses"}),
    )

    def __init__(self, *args: Any, choose_kind: bool = False, spare: bool = False, **kwargs):
        """choose_kind: slips are printed and voting has not opened, so a new set may replace
        them. spare: voting is open, so only a spare stack may be printed."""
        super().__init__(*args, **kwargs)
        if not choose_kind:
            del self.fields["kind"]
        if spare:
            self.fields["count"].help_text = _("For slips lost or spoiled at the desk.")
        self.spare_only = spare
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Generate and download the slips (PDF)")))

    def wants_spare(self) -> bool:
        return self.spare_only or self.cleaned_data.get("kind") == self.SPARE


class ActivateForm(forms.Form):
    code = forms.CharField(
        label=_("Code on the slip being handed over"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
        help_text=_("Type it, or scan the slip's QR code with the desk's scanner."),
    )


class DeviceUnlockForm(forms.Form):
    number = forms.CharField(
        label=_("Device number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("The 6 digits the locked device shows."),
    )


class IssueExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why more ballots are issued than people present"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Recorded by the secretariat or the committee, and printed in the minutes. Without "
            "it the desk hands out no more slips than people checked in. Empty: cleared."
        ),
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


EXPLANATION_HELP = _(
    "Why more ballots were issued than people present (or summoned), if so. The minutes print it."
)


class FiguresForm(forms.Form):
    """Paper ballots: what only the committee knows."""

    present = forms.IntegerField(
        label=_("Present"),
        min_value=0,
        required=False,
        validators=[count_validator],
        help_text=_("Leave empty when people were checked in at the desk here."),
    )
    issued = forms.IntegerField(
        label=_("Ballots issued"), min_value=0, validators=[count_validator]
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=500,
        required=False,
        help_text=EXPLANATION_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the figures")))


class TallyForm(forms.Form):
    """A whole tally sheet: figures, then one row of counts per candidate."""

    present = forms.IntegerField(
        label=_("Present"), min_value=0, required=False, validators=[count_validator]
    )
    issued = forms.IntegerField(
        label=_("Ballots issued"), min_value=0, required=False, validators=[count_validator]
    )
    collected = forms.IntegerField(
        label=_("Ballots collected"), min_value=0, validators=[count_validator]
    )
    summoned = forms.IntegerField(
        label=_("Summoned (members)"),
        min_value=1,
        required=False,
        validators=[count_validator],
        help_text=_("No list of summoned voters here: the number, if known."),
    )
    whole_invalid = forms.IntegerField(
        label=_("Whole ballots invalid"),
        min_value=0,
        initial=0,
        validators=[count_validator],
        help_text=_("Not issued by the committee (wrong form, no seal); still collected."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=500,
        required=False,
        help_text=EXPLANATION_HELP,
    )

    def __init__(
        self, *args: Any, candidates: list, levels: list, voter_list: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if voter_list:  # summoned is the list's length
            del self.fields["summoned"]
        self.candidates = candidates
        self.levels = levels
        for candidate in candidates:
            for value, label in [*levels, ("invalid", _("Invalid or blank"))]:
                self.fields[f"n_{candidate.pk}_{value}"] = forms.IntegerField(
                    label=f"{candidate.official.full_name}: {label}",
                    min_value=0,
                    initial=0,
                    validators=[count_validator],
                    widget=forms.NumberInput(attrs={"class": "form-control tally-count"}),
                )

    def rows(self) -> list[tuple[Any, list[Any]]]:
        return [
            (c, [self[f"n_{c.pk}_{value}"] for value, _l in [*self.levels, ("invalid", "")]])
            for c in self.candidates
        ]

    def counts(self) -> dict[tuple[int, str], int]:
        return {
            (c.pk, value): self.cleaned_data[f"n_{c.pk}_{value}"]
            for c in self.candidates
            for value, _l in [*self.levels, ("invalid", "")]
        }


class CountField(forms.Field):
    """A figure of an imported tally, read as the command and the file read it (tally_checks)."""

    widget = forms.NumberInput(attrs={"min": "0"})

    def to_python(self, value: Any) -> int | None:
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        count, problem = parse_count(text)
        if problem:
            raise forms.ValidationError(problem, code="count")
        return count


class TallyImportForm(OneLineText, forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    regime = forms.ChoiceField(label=_("Legal basis"), choices=[])
    procedure = forms.ChoiceField(label=_("Procedure"), choices=[])
    collected = CountField(label=_("Ballots collected"))
    issued = CountField(label=_("Ballots issued"), required=False)
    summoned = CountField(
        label=_("Summoned (members)"),
        required=False,
        help_text=_("Required for Resolution 85: it is the denominator."),
    )
    present = CountField(label=_("Present"), required=False)
    subject = forms.CharField(
        label=_("Rated positions"),
        max_length=300,
        required=False,
        help_text=_(
            "Completes 'Lấy phiếu tín nhiệm đối với …' on the minutes. Empty: the line is left out."
        ),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    start_time = forms.TimeField(
        label=_("Count began at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    committee_head = forms.CharField(
        label=_("Head of the counting committee"),
        max_length=500,
        required=False,
        help_text=_("Full name, then a comma and the position, e.g. “Lý Thị Nga, Đại biểu HĐND”."),
    )
    committee_members = forms.CharField(
        label=_("Members of the counting committee"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, as for the head. Anything left empty here can be filled in on the "
            "session's pages until the results are certified."
        ),
    )
    file = forms.FileField(
        label=_("Tally sheet (CSV or Excel .xlsx)"),
        help_text=_(
            "Columns: họ và tên / name, chức vụ / position, tín nhiệm cao / high, tín nhiệm / "
            "medium, tín nhiệm thấp / low (or tín nhiệm / confidence, không tín nhiệm / "
            "no_confidence), optional không hợp lệ / invalid and stt / order."
        ),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        from sessions.models import VotingSession

        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["regime"].choices = VotingSession.Regime.choices
        self.fields["procedure"].choices = VotingSession.Procedure.choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Import")))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for problem in tally_import_problems(
            regime=data.get("regime", ""),
            collected=data.get("collected"),
            issued=data.get("issued"),
            summoned=data.get("summoned"),
            present=data.get("present"),
        ):
            self.add_error(problem.field, problem.message)
        head, members = data.get("committee_head", ""), self.committee_lines()
        for problem in committee_problems(head=head, members=members):
            self.add_error("committee_members", problem.message)
        for problem in date_problems(data.get("date")):
            self.add_error(problem.field, problem.message)
        data["committee"] = committee_rows(head=head, members=members)
        upload = data.get("file")
        if upload is not None and upload.size > 2 * 1024 * 1024:
            self.add_error("file", _("The file is larger than 2 MB. Is it the right file?"))
        return data

    def committee_lines(self) -> list[str]:
        return (self.cleaned_data.get("committee_members") or "").splitlines()
