"""The details only the minutes print: their number, how many copies, when the count began and
ended. The committee or the secretariat enters them before certification; certification freezes
the minutes with them, and afterwards they no longer change."""

from __future__ import annotations

import datetime
import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sessions.models import VotingSession
from sessions.services import audit_record, lock_session, refuse

FIELDS = ("document_number", "minutes_copies", "count_started_at", "count_ended_at")

MSG_CERTIFIED = gettext_noop(
    "The results are certified: the minutes are frozen and their details can no longer change."
)
MSG_NOT_COUNTED = gettext_noop("The minutes' details are entered once voting has closed.")
# The register's number only: the minutes add "/BB-BKP" (or "-BB/…" for a Party body).
NUMBER = re.compile(r"^\w+(\.\w+)*$")


class MinutesDetailsForm(forms.Form):
    document_number = forms.CharField(
        label=_("Minutes number"),
        max_length=30,
        required=False,
        help_text=_(
            "The number the register gives, e.g. 12; the minutes add “/BB-BKP” (a Party body: "
            "“-BB/” and its abbreviation). Empty: the minutes print a blank to fill in by hand."
        ),
    )
    minutes_copies = forms.IntegerField(
        label=_("Copies of the minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("From 1 to 20."),
    )
    count_started_at = forms.TimeField(
        label=_("Count began at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Empty: the minutes leave the time blank to write in by hand."),
    )
    count_ended_at = forms.TimeField(
        label=_("Count ended at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_document_number(self) -> str:
        number = self.cleaned_data["document_number"].strip()
        if number and not NUMBER.match(number):
            raise forms.ValidationError(
                _("Type only the number (letters and digits), without “/” or “-BB”."),
                code="number",
            )
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        began, ended = data.get("count_started_at"), data.get("count_ended_at")
        if began and ended and ended < began:
            self.add_error("count_ended_at", _("The count cannot end before it began."))
        return data


def initial_details(session: VotingSession) -> dict[str, Any]:
    return {field: getattr(session, field) for field in FIELDS}


def _audited(value: Any) -> Any:
    return value.strftime("%H:%M") if isinstance(value, datetime.time) else value


@transaction.atomic(durable=True)
def minutes_details_update(
    *, actor: AbstractBaseUser, session: VotingSession, **fields: Any
) -> bool:
    """Set the minutes' details of a counted, not yet certified session; audited. False if
    nothing changed."""
    locked = lock_session(session)
    if locked.is_certified:
        raise refuse(MSG_CERTIFIED, "certified")
    if not locked.is_closed:
        raise refuse(MSG_NOT_COUNTED, "not_closed")
    changed = {}
    for key in FIELDS:
        if key in fields and getattr(locked, key) != fields[key]:
            setattr(locked, key, fields[key])
            changed[key] = _audited(fields[key])
    if not changed:
        return False
    locked.full_clean()
    locked.save(update_fields=[*changed])
    for key in changed:
        setattr(session, key, getattr(locked, key))
    audit_record(session=locked, actor=actor, action="session_updated", **changed)
    return True
