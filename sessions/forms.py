"""Forms for the secretariat's pages. They check input shape only; rules live in services."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Candidate, CommitteeMember, Official, Organization, VotingSession
from .selectors import committee_accounts


class OneLineText:
    """A form mixin: every text field typed on one line stays on one line.

    The browser sends a line break only from a textarea, but a pasted or forged value can carry
    one into a title or a name, which then breaks a document's heading or an export's row (the
    fuzz tests found a session title with a line feed). After the form's own checks, each text
    field that is not a textarea has its whitespace runs turned into single spaces.
    """

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            value = cleaned.get(name)
            if isinstance(value, str) and not isinstance(
                field.widget, (forms.Textarea, forms.PasswordInput)
            ):
                cleaned[name] = " ".join(value.split())
        return cleaned


def _helper(submit_label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = True
    helper.add_input(Submit("submit", submit_label))
    return helper


class SessionForm(OneLineText, forms.ModelForm):
    scope = forms.ChoiceField(
        label=_("Publication scope"),
        choices=[("", _("Default for the legal basis")), *VotingSession.Scope.choices],
        required=False,
        help_text=_(
            "Resolution 96/2023/QH15 results are public once published; Regulation 96 "
            "results stay internal to the organization and the bodies above it."
        ),
    )

    class Meta:
        model = VotingSession
        fields = [
            "organization",
            "title",
            "subject",
            "date",
            "start_time",
            "place",
            "regime",
            "procedure",
            "mode",
            "scope",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if self.instance.pk:
            # A session never moves to another organization.
            del self.fields["organization"]
        elif organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()
        self.helper = _helper(_("Save"))

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class CountedSessionForm(OneLineText, forms.ModelForm):
    """A counted session, until certified: what the minutes print of it, not its rules.

    The place may stay empty (an imported tally often does not say): the minutes leave it out.
    """

    class Meta:
        model = VotingSession
        fields = ["title", "subject", "date", "start_time", "place"]
        widgets = SessionForm.Meta.widgets

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].required = False
        self.helper = _helper(_("Save"))

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


class CandidateAddForm(OneLineText, forms.Form):
    official = forms.ModelChoiceField(
        label=_("Official already known"),
        queryset=Official.objects.none(),
        required=False,
        help_text=_("Choose someone rated before, or fill in a new person below."),
    )
    full_name = forms.CharField(label=_("Full name (new person)"), max_length=150, required=False)
    positions = forms.CharField(
        label=_("Position(s)"),
        max_length=300,
        required=False,
        help_text=_("All posts on one line, e.g. “Chủ tịch Hội; Bí thư Chi bộ”."),
    )

    def __init__(self, *args: Any, session: VotingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = Official.objects.filter(
            organization=session.organization
        ).exclude(candidacies__session=session)
        self.helper = _helper(_("Add to the list"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("official") is None:
            if not data.get("full_name", "").strip():
                raise forms.ValidationError(
                    _("Choose a known official or enter the full name of a new one."),
                    code="required",
                )
            if not data.get("positions", "").strip():
                self.add_error("positions", _("Enter the position(s) of the new person."))
        return data


class CandidateForm(OneLineText, forms.Form):
    position = forms.CharField(
        label=_("Position on the ballot"),
        max_length=300,
        help_text=_("As printed on this ballot; all posts on one line."),
    )
    excluded = forms.BooleanField(
        label=_("Not rated in this session"),
        required=False,
        help_text=_(
            "A person who announced retirement, or was elected or appointed this year, stays "
            "on the list but is not on the ballot."
        ),
    )
    exclusion_reason = forms.ChoiceField(
        label=_("Reason not rated"),
        choices=[("", "---------"), *Candidate.ExclusionReason.choices],
        required=False,
    )
    exclusion_note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("excluded") and not data.get("exclusion_reason"):
            self.add_error("exclusion_reason", _("Give the reason this person is not rated."))
        return data


class VoterForm(OneLineText, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    unit = forms.CharField(label=_("Position or unit"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class VoterImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        help_text=_(
            "First row: column names, e.g. “STT, Họ và tên, Chức vụ, đơn vị” or "
            "“No, Full name, Position”. CSV in UTF-8."
        ),
    )
    replace = forms.TypedChoiceField(
        label=_("What to do with the current list"),
        choices=[("0", _("Add to the current list")), ("1", _("Replace the current list"))],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Check the file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Is it the right file?"),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="bad_type")
        return upload


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.get_username()})" if name else obj.get_username()


class CommitteeMemberForm(OneLineText, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    unit = forms.CharField(label=_("Position or unit"), max_length=300, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=CommitteeMember.Role.choices, initial=CommitteeMember.Role.MEMBER
    )
    user = AccountChoiceField(
        label=_("Account"),
        queryset=None,
        required=False,
        empty_label=_("No account"),
        help_text=_(
            "The account this member signs in with. Only a member linked to an account can "
            "certify the results. The list holds the counting committee's accounts of this "
            "organization."
        ),
    )

    def __init__(self, *args: Any, session: VotingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this body's committee accounts: another body's id posted anyway is a form error.
        self.fields["user"].queryset = committee_accounts(session)
        self.helper = _helper(_("Save"))
