"""Forms of the campaign pages. They check input shape only; the rules live in services."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sessions.forms import OneLineText
from sessions.models import Organization, VotingSession

from .access import subtree_ids
from .models import Campaign


class CampaignForm(OneLineText, forms.ModelForm):
    """Launch (with the launching body) or change a campaign; the bodies taking part are offered
    from the launching bodies' subtrees, and the service checks them against the one chosen."""

    organization = forms.ModelChoiceField(
        label=_("Launched by"), queryset=Organization.objects.none()
    )
    bodies = forms.ModelMultipleChoiceField(
        label=_("Bodies taking part"),
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The launching body and the bodies below it."),
    )

    class Meta:
        model = Campaign
        fields = ["organization", "title", "year", "regime", "procedure", "deadline"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(
        self,
        *args: Any,
        launchers: QuerySet[Organization],
        submit_label: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The launching body stays; the bodies are offered from its subtree.
            del self.fields["organization"]
            reach = subtree_ids(self.instance.organization)
            self.initial.setdefault(
                "bodies", list(self.instance.bodies.values_list("organization_id", flat=True))
            )
        else:
            self.fields["organization"].queryset = launchers
            reach = set()
            for launcher in launchers:
                reach |= subtree_ids(launcher)
            if launchers.count() == 1:
                self.initial.setdefault("organization", launchers.first())
        self.fields["bodies"].queryset = Organization.objects.filter(pk__in=reach).order_by("name")
        self.fields["regime"].choices = VotingSession.Regime.choices
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))


class AttachForm(forms.Form):
    """One of the body's sessions of the campaign's year, legal basis and procedure."""

    session = forms.ModelChoiceField(label=_("Session"), queryset=VotingSession.objects.none())

    def __init__(self, *args: Any, sessions: QuerySet[VotingSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
