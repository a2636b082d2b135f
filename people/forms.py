"""Forms of the people pages. They check input shape only; the rules live in people.services."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from sessions.forms import OneLineText
from sessions.models import Membership, Official, Organization


def _helper(submit_label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = True
    helper.add_input(Submit("submit", submit_label))
    return helper


class BodyForm(OneLineText, forms.ModelForm):
    """A body's name, kind and what its documents print."""

    class Meta:
        model = Organization
        fields = ["name", "kind", "document_name", "locality", "abbreviation", "member_noun"]
        help_texts = {
            "kind": _(
                "Decides the heading of its documents: a Party body prints “ĐẢNG CỘNG SẢN VIỆT "
                "NAM”, a State body or a mass organization the national heading and motto."
            )
        }

    def __init__(self, *args: Any, submit_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label)

    def validate_unique(self) -> None:
        """The service checks the name (case-insensitively) under its own transaction."""


FULL_NAME_HELP = _("In Vietnamese order, whole, e.g. “Trần Văn Đông”.")


class AccountCreateForm(OneLineText, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, help_text=FULL_NAME_HELP)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Used to sign in: letters, digits and @ . + - _ only."),
    )
    organization = forms.ModelChoiceField(label=_("Body"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.helper = _helper(_("Create the account"))


class RoleGrantForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Body"), queryset=Organization.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.helper = _helper(_("Grant the role"))


class AccountRenameForm(OneLineText, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, help_text=FULL_NAME_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class OfficialForm(OneLineText, forms.Form):
    organization = forms.ModelChoiceField(label=_("Body"), queryset=Organization.objects.none())
    full_name = forms.CharField(label=_("Full name"), max_length=150, help_text=FULL_NAME_HELP)
    positions = forms.CharField(
        label=_("Position(s)"),
        max_length=300,
        help_text=_("All posts on one line, e.g. “Chủ tịch Hội; Bí thư Chi bộ”."),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), min_value=1900, max_value=2100, required=False
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:  # an official never moves to another body
            del self.fields["organization"]
        else:
            self.fields["organization"].queryset = organizations
        self.helper = _helper(_("Save"))


class PositionForm(OneLineText, forms.Form):
    title = forms.CharField(label=_("Position"), max_length=300)
    started_on = forms.DateField(
        label=_("Elected or appointed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ended_on = forms.DateField(
        label=_("Left on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the position"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The post cannot end before it starts."))
        return data


class MergeForm(forms.Form):
    merged = forms.ModelChoiceField(
        label=_("Duplicate to merge into this official"), queryset=Official.objects.none()
    )

    def __init__(self, *args: Any, official: Official, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merged"].queryset = Official.objects.filter(
            organization_id=official.organization_id
        ).exclude(pk=official.pk)
        self.helper = _helper(_("Merge"))


class OfficialImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Body"), queryset=Organization.objects.none())
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        help_text=_(
            "First row: column names, “Họ và tên, Chức vụ” and optionally “Năm sinh, Ngày bầu, "
            "bổ nhiệm” (day/month/year). CSV in UTF-8."
        ),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.helper = _helper(_("Import"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Is it the right file?"),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_BYTES),
                },
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="bad_type")
        return upload
