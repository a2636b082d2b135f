"""Forms of the people pages. They check input shape only; the rules live in people.services."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sessions.models import Membership, Organization


def _helper(submit_label: str) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = True
    helper.add_input(Submit("submit", submit_label))
    return helper


class BodyForm(forms.ModelForm):
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


class AccountCreateForm(forms.Form):
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


class AccountRenameForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, help_text=FULL_NAME_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))
