"""A title or a name typed on one line stays on one line (the fuzz tests found a line feed
forged into a tally import's title, which broke the documents' headings)."""

from __future__ import annotations

from django import forms

from ballots.forms import TallyImportForm
from sessions.forms import CommitteeMemberForm, OneLineText


class _Form(OneLineText, forms.Form):
    title = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    secret = forms.CharField(widget=forms.PasswordInput, strip=False)


def test_line_breaks_in_a_one_line_field_become_single_spaces():
    form = _Form({"title": "Kỳ họp\nthứ 13\r\n\t(2026)", "note": "a\nb", "secret": "x  y"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Kỳ họp thứ 13 (2026)"


def test_a_textarea_keeps_its_lines_and_a_password_is_left_as_typed():
    form = _Form({"title": "t", "note": "dòng 1\ndòng 2", "secret": " x  y "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "dòng 1\ndòng 2"
    assert form.cleaned_data["secret"] == " x  y "


def test_the_tally_import_and_committee_forms_are_one_line_forms():
    assert issubclass(TallyImportForm, OneLineText)
    assert issubclass(CommitteeMemberForm, OneLineText)
