"""Import counted results in the browser: the file is read, each row is shown with the official
of the body it will continue (or "new official"), and only the confirmation creates anything.

Between the two steps nothing is stored: the parsed rows and the form's values travel in the
confirmation form as one payload signed with django.core.signing (salted for this page and
bound to the account), together with the match proposed for each row. A payload that fails
its signature, has expired, or comes back with a row linked to an official that was not
proposed for it is refused with a 400 and nothing is created.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import astuple
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sessions.access import Need, organizations_for
from sessions.models import Official, Organization
from sessions.selectors import same_person
from sessions.services import MSG_RATED_ON_COMMITTEE

from . import paper
from .forms import TallyImportForm
from .tally_file import TallyRow, parse_tally_file
from .tally_matching import links_problems, links_resolve, rows_matched

SALT = "ballots.tally_import.confirm"
MAX_AGE = 60 * 60  # seconds a read file waits for its confirmation
NEW = "new"
FIELDS = ("title", "regime", "procedure", "collected", "issued", "summoned", "present")
PAYLOAD_KEYS = {
    "user",
    "organization",
    *FIELDS,
    "date",
    "subject",
    "place",
    "start_time",
    "committee",
    "rows",
    "matches",
    "problems",
}


def _payload(request: HttpRequest, data: dict[str, Any], rows: list[TallyRow]) -> dict:
    """What the confirmation re-posts, signed: the form's values, the rows, the matches."""
    matches, problems = rows_matched(data["organization"], rows)
    names = [row.full_name for row in rows]
    for full_name, _unit, _role in data["committee"]:  # refused at the preview, not after it
        rated = same_person(full_name, names)
        if rated is not None:
            problems.append(_(MSG_RATED_ON_COMMITTEE) % {"name": rated})
    return {
        "nonce": secrets.token_hex(8),  # each reading of a file is confirmed once (see _confirm)
        "user": request.user.pk,
        "organization": data["organization"].pk,
        **{key: data[key] for key in FIELDS},
        "date": data["date"].isoformat(),
        "subject": " ".join(data["subject"].split()),
        "place": data["place"].strip(),
        "start_time": data["start_time"].strftime("%H:%M") if data["start_time"] else None,
        "committee": [list(member) for member in data["committee"]],
        "rows": [list(astuple(row)) for row in rows],
        "matches": {str(m.row.line): m.official.pk for m in matches if m.official is not None},
        "problems": problems,
    }


def _rows(payload: dict) -> list[TallyRow]:
    return [TallyRow(*values) for values in payload["rows"]]


def _preview(
    request: HttpRequest,
    token: str,
    payload: dict,
    organization: Organization,
    problems: list[str] | None = None,
    chosen: dict[int, str] | None = None,
) -> HttpResponse:
    """The confirmation step: each row and the official it will be linked to."""
    officials = Official.objects.filter(
        organization=organization, pk__in=payload["matches"].values()
    ).in_bulk()
    lines = []
    for row in _rows(payload):
        official = officials.get(payload["matches"].get(str(row.line)))
        choice = (chosen or {}).get(row.line, str(official.pk) if official else NEW)
        lines.append({"row": row, "official": official, "choice": choice})
    problems = [*payload["problems"], *(problems or [])]
    return render(
        request,
        "ballots/tally_import_confirm.html",
        {
            "token": token,
            "payload": payload,
            "organization": organization,
            "lines": lines,
            "problems": problems,
            "new": NEW,
        },
        status=400 if problems else 200,
    )


def _refused(request: HttpRequest, organizations: Any) -> HttpResponse:
    form = TallyImportForm(organizations=organizations)
    problem = _(
        "The confirmation was altered or has expired; nothing was imported. Upload the file again."
    )
    return render(
        request, "ballots/tally_import.html", {"form": form, "problems": [problem]}, status=400
    )


def _confirm(request: HttpRequest, organizations: Any) -> HttpResponse:
    """The second step: check the signed payload and each row's choice, then import."""
    token = request.POST.get("payload", "")
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return _refused(request, organizations)
    if not isinstance(payload, dict) or not payload.keys() >= PAYLOAD_KEYS:
        return _refused(request, organizations)  # signed, but not by this page's version
    if payload.get("user") != request.user.pk:
        return _refused(request, organizations)
    organization = organizations.filter(pk=payload["organization"]).first()
    if organization is None:
        raise Http404
    if payload["problems"]:
        return _preview(request, token, payload, organization)
    rows = _rows(payload)
    chosen, wanted = {}, {}
    for row in rows:
        proposed = payload["matches"].get(str(row.line))
        value = request.POST.get(f"link_{row.line}", NEW if proposed is None else str(proposed))
        if value != NEW and (proposed is None or value != str(proposed)):
            return _refused(request, organizations)  # only the proposed official or a new one
        chosen[row.line] = value
        if value != NEW:
            wanted[row.line] = proposed
    links, problems = links_resolve(organization, wanted)
    problems += links_problems(rows, links)
    if problems:
        return _preview(request, token, payload, organization, problems, chosen)
    # One confirmation, one session: a second post of the same page (a double click, the back
    # button, a replay within the hour) finds the token used and creates nothing.
    used = "tally-import:" + hashlib.sha256(token.encode()).hexdigest()
    if not cache.add(used, request.user.pk, MAX_AGE + 60):
        messages.info(request, _("This import was already confirmed: nothing imported again."))
        return redirect("votesessions:dashboard")
    start = payload["start_time"]
    try:
        session = paper.tally_import(
            actor=request.user,
            organization=organization,
            **{key: payload[key] for key in FIELDS},
            date=datetime.date.fromisoformat(payload["date"]),
            rows=rows,
            subject=payload["subject"],
            place=payload["place"],
            start_time=datetime.time.fromisoformat(start) if start else None,
            committee=[tuple(member) for member in payload["committee"]],
            links=links,
        )
    except ValidationError as exc:
        # e.g. a committee member who is also rated: nothing was created.
        cache.delete(used)
        return _preview(request, token, payload, organization, exc.messages, chosen)
    messages.success(
        request,
        _("%(n)d candidates imported. Check the figures, then certify.") % {"n": len(rows)},
    )
    return redirect("votesessions:detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
def tally_import(request: HttpRequest) -> HttpResponse:
    """A counted tally sheet from a file becomes a closed session, ready to certify: read the
    file, confirm each row's official, import."""
    organizations = organizations_for(request.user, Need.PREPARE)
    if not organizations.exists():
        messages.error(request, _("Only the secretariat of an organization can import results."))
        return redirect("votesessions:dashboard")
    if request.method == "POST" and "payload" in request.POST:
        return _confirm(request, organizations)
    form = TallyImportForm(request.POST or None, request.FILES or None, organizations=organizations)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        parsed = parse_tally_file(
            upload.name, upload.read(), procedure=data["procedure"], collected=data["collected"]
        )
        problems = parsed.problems
        if parsed.ok:
            payload = _payload(request, data, parsed.rows)
            token = signing.dumps(payload, salt=SALT, compress=True)
            return _preview(request, token, payload, data["organization"])
    return render(
        request,
        "ballots/tally_import.html",
        {"form": form, "problems": problems},
        status=400 if problems else 200,
    )
