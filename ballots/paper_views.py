"""The counting committee's paper pages: ballot form PDF, ballot entry, figures, tally.

Importing a tally sheet from a file is in tally_import_views."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sessions.access import Need, get_session_for_user
from sessions.models import Candidate, VotingSession
from sessions.selectors import ballot_candidates

from . import paper
from .documents import MAX_COPIES, ballot_form_pdf
from .forms import FiguresForm, TallyForm
from .models import BLANK, Ballot, CountSheet, PaperEntry
from .refusals import BallotRefused
from .selectors import entries_disagreements, reconciled
from .views import _context
from .voting import choices_from_post

UNDO_KEY = "paper-undo-{entry}"
COPIES_RANGE = _lazy("Give a whole number of copies from 1 to %(max)s.")


class BallotCopiesForm(forms.Form):
    """How many copies of the paper ballot to print (GET: the PDF's own URL takes it)."""

    copies = forms.CharField(
        label=_lazy("Number of copies"),
        help_text=_lazy(
            "One per person summoned, plus a few spares. Each copy starts on a new page."
        ),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_COPIES}),
    )

    def clean_copies(self) -> int:
        raw = self.cleaned_data["copies"].strip()
        # ASCII digits only, and short: int() of a huge string is slow, then refused.
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or not (
            1 <= int(raw) <= MAX_COPIES
        ):
            raise ValidationError(COPIES_RANGE, code="copies", params={"max": MAX_COPIES})
        return int(raw)


def _ballot_session(request: HttpRequest, pk: int) -> VotingSession | None:
    """The session whose ballots are printed; None (with a message) while the lists can change."""
    session = get_session_for_user(request.user, pk, need=Need.RUN)
    if session.is_draft:
        messages.error(request, _("Freeze the lists first: the ballot prints the final list."))
        return None
    return session


def _copies_page(request: HttpRequest, session: VotingSession, form: BallotCopiesForm, status=200):
    context = _context(request, session, "ballot_form")
    context.update(form=form, max_copies=MAX_COPIES)
    return render(request, "ballots/ballot_form.html", context, status=status)


@require_GET
def ballot_form_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose how many copies of the paper ballot to print."""
    session = _ballot_session(request, pk)
    if session is None:
        return redirect("votesessions:detail", pk=pk)
    initial = {"copies": min(session.voters.count() or 1, MAX_COPIES)}
    return _copies_page(request, session, BallotCopiesForm(initial=initial))


@require_GET
def ballot_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable paper ballot: one copy per summoned person, or ?copies=N (1 to MAX_COPIES).

    A bad number gets the form again with its error (400), never a clamped or guessed count."""
    session = _ballot_session(request, pk)
    if session is None:
        return redirect("votesessions:detail", pk=pk)
    copies = min(session.voters.count() or 1, MAX_COPIES)
    if "copies" in request.GET:
        form = BallotCopiesForm(request.GET)
        if not form.is_valid():
            return _copies_page(request, session, form, status=400)
        copies = form.cleaned_data["copies"]
    response = HttpResponse(
        ballot_form_pdf(session=session, copies=copies), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="phieu-{pk}.pdf"'
    return response


# --- Ballot-by-ballot entry -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def paper_home(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the committee counts paper ballots: entries, figures, reconciliation."""
    session = get_session_for_user(request.user, pk, need=Need.COUNT)
    if session.mode != VotingSession.Mode.PAPER_BALLOTS:
        return redirect("votesessions:detail", pk=pk)
    sheet = CountSheet.objects.filter(session=session).first()
    form = FiguresForm(
        request.POST or None,
        initial={"present": sheet.present, "issued": sheet.issued, "explanation": sheet.explanation}
        if sheet
        else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            paper.count_sheet_save(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Figures saved."))
            return redirect("ballots:paper", pk=pk)
    entries = {e.label: e for e in PaperEntry.objects.filter(session=session)}
    counts = {label: Ballot.objects.filter(entry=e).count() for label, e in entries.items()}
    context = _context(request, session, "paper")
    context.update(
        form=form,
        entry_a=entries.get("A"),
        entry_b=entries.get("B"),
        counts=counts,
        discard_confirm={label: _discard_question(label, counts) for label in entries},
        disagreements=entries_disagreements(session),
        reconciled=reconciled(session),
        counting=session.is_closed,
    )
    return render(request, "ballots/paper_home.html", context)


def _discard_question(label: str, counts: dict[str, int]) -> str:
    """What discarding a pass throws away, exactly, and what stays (paper.paper_entry_discard)."""
    other = "B" if label == "A" else "A"
    question = ngettext(
        "Discard entry %(label)s and the %(n)d ballot typed into it?",
        "Discard entry %(label)s and the %(n)d ballots typed into it?",
        counts[label],
    ) % {"label": label, "n": counts[label]}
    if other in counts:
        question += " " + ngettext(
            "Entry %(other)s and its %(n)d ballot stay.",
            "Entry %(other)s and its %(n)d ballots stay.",
            counts[other],
        ) % {"other": other, "n": counts[other]}
    return question


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
def paper_entry_start(request: HttpRequest, pk: int, label: str) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.COUNT)
    try:
        paper.paper_entry_start(actor=request.user, session=session, label=label)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("ballots:paper", pk=pk)
    return redirect("ballots:paper_entry", pk=pk, label=label)


def _entry(request: HttpRequest, pk: int, label: str) -> tuple[VotingSession, PaperEntry]:
    """A pass through the pile (any committee member may look at it)."""
    session = get_session_for_user(request.user, pk, need=Need.COUNT)
    entry = PaperEntry.objects.filter(session=session, label=label).first()
    if entry is None:
        raise Http404
    return session, entry


def _not_found_if_not_entrant(exc: ValidationError) -> None:
    """Only its own entrant types into a pass (the service's rule); to anyone else, it is not
    there to type into."""
    if getattr(exc, "code", None) == "not_entrant":
        raise Http404 from exc


@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int, label: str) -> HttpResponse:
    """Type one paper ballot, save, next. Keyboard-first; works without JavaScript too."""
    session, entry = _entry(request, pk, label)
    candidates = ballot_candidates(session)
    undo_key = UNDO_KEY.format(entry=entry.pk)
    error = ""
    if request.method == "POST":
        whole_invalid = request.POST.get("whole_invalid") == "1"
        try:
            choices = {}
            if not whole_invalid:
                form = _EntryForm(session, candidates)
                choices = choices_from_post(form, dict(request.POST.lists()), strict=False)
            ballot = paper.paper_ballot_add(
                actor=request.user, entry=entry, choices=choices, whole_invalid=whole_invalid
            )
        except BallotRefused as refused:
            error = refused.message
        except ValidationError as exc:
            _not_found_if_not_entrant(exc)
            error = " ".join(exc.messages)
        else:
            # Only the last ballot's id, for "undo", and only in this person's browser session.
            request.session[undo_key] = str(ballot.pk)
            return redirect("ballots:paper_entry", pk=pk, label=label)
    entry.refresh_from_db()
    context = _context(request, session, "paper")
    context.update(
        entry=entry,
        candidates=candidates,
        levels=session.levels(),
        blank=BLANK,
        entered=Ballot.objects.filter(entry=entry).count(),
        can_undo=bool(request.session.get(undo_key)),
        error=error,
        mine=entry.entrant_id == request.user.pk,
    )
    return render(request, "ballots/paper_entry.html", context, status=400 if error else 200)


class _EntryForm:
    """The shape choices_from_post expects: the ballot's candidates and levels."""

    def __init__(self, session: VotingSession, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self.levels = session.levels()


@require_POST
def paper_entry_undo(request: HttpRequest, pk: int, label: str) -> HttpResponse:
    _session, entry = _entry(request, pk, label)
    last = request.session.pop(UNDO_KEY.format(entry=entry.pk), None)
    if last:
        try:
            if paper.paper_ballot_remove(
                actor=request.user, entry=entry, ballot_id=uuid.UUID(last)
            ):
                messages.info(request, _("The last ballot was removed. Type it again."))
        except ValidationError as exc:
            _not_found_if_not_entrant(exc)
            messages.error(request, str(exc))
        except ValueError as exc:
            messages.error(request, str(exc))
    return redirect("ballots:paper_entry", pk=pk, label=label)


@require_POST
def paper_entry_finish(request: HttpRequest, pk: int, label: str) -> HttpResponse:
    _session, entry = _entry(request, pk, label)
    try:
        paper.paper_entry_finish(actor=request.user, entry=entry)
    except ValidationError as exc:
        _not_found_if_not_entrant(exc)
        messages.error(request, " ".join(exc.messages))
    else:
        request.session.pop(UNDO_KEY.format(entry=entry.pk), None)
        messages.success(request, _("Entry %(label)s finished.") % {"label": label})
    return redirect("ballots:paper", pk=pk)


@require_POST
def paper_entry_discard(request: HttpRequest, pk: int, label: str) -> HttpResponse:
    _session, entry = _entry(request, pk, label)
    try:
        count = paper.paper_entry_discard(actor=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.warning(
            request,
            ngettext(
                "Entry %(label)s discarded with its %(n)d ballot.",
                "Entry %(label)s discarded with its %(n)d ballots.",
                count,
            )
            % {"label": label, "n": count},
        )
    return redirect("ballots:paper", pk=pk)


# --- Tally sheet ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk, need=Need.COUNT)
    if session.mode != VotingSession.Mode.PAPER_TALLY:
        return redirect("votesessions:detail", pk=pk)
    candidates = ballot_candidates(session)
    initial = {}
    sheet = CountSheet.objects.filter(session=session).first()
    if sheet:
        initial = {
            "present": sheet.present,
            "issued": sheet.issued,
            "collected": sheet.collected,
            "whole_invalid": sheet.whole_invalid,
            "summoned": sheet.summoned,
            "explanation": sheet.explanation,
        }
        for candidate_id, level, count in session.tally.values_list(
            "candidate_id", "level", "count"
        ):
            initial[f"n_{candidate_id}_{level}"] = count
    form = TallyForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        candidates=candidates,
        levels=session.levels(),
        voter_list=session.voters.exists(),
    )
    if request.method == "POST" and form.is_valid():
        data = paper.TallyInput(
            collected=form.cleaned_data["collected"],
            whole_invalid=form.cleaned_data["whole_invalid"] or 0,
            issued=form.cleaned_data["issued"],
            present=form.cleaned_data["present"],
            summoned=form.cleaned_data.get("summoned"),
            explanation=form.cleaned_data["explanation"],
            counts=form.counts(),
        )
        try:
            paper.tally_save(actor=request.user, session=session, data=data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Tally sheet saved."))
            return redirect("ballots:tally", pk=pk)
    context = _context(request, session, "tally")
    context.update(form=form, counting=session.is_closed)
    return render(request, "ballots/tally.html", context, status=400 if form.errors else 200)
