"""Forms of the reuse pages: a new session from an earlier one, and a body's roster."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import OneLineText, VoterForm, _helper


class ReuseForm(OneLineText, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Create the new draft session"))


class RosterMemberForm(VoterForm):
    """One member of a body's roster: full name, position or unit (as a summoned voter)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add to the roster"))


REPLACE_CHOICES = [("0", _("Add to the current list")), ("1", _("Replace the current list"))]


class RosterUseForm(forms.Form):
    replace = forms.TypedChoiceField(
        choices=REPLACE_CHOICES, coerce=lambda value: value == "1", initial="0"
    )
