"""Which existing official each row of an imported tally sheet continues: imports that link.

A row is matched to the official of the same body whose full name is the same once both are
folded as the officials registry folds them for search (`people.selectors.search_key`: NFC,
case, diacritics and đ ignored, spaces collapsed), so "nguyen van a" finds "Nguyễn Văn A".
Only within the body: officials of another body are never proposed. Two officials of the body
with the same folded name, or two rows linked to the same official, are refused with the rows
named: the registry's merge resolves the first, the file the second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from people.selectors import search_key
from sessions.models import Official, Organization
from sessions.selectors import normalize_name

from .tally_file import TallyRow

MSG_AMBIGUOUS = gettext_noop(
    "Row %(row)s, column họ và tên / name: %(count)s officials of this body are named "
    "“%(name)s” (%(ids)s); merge the duplicates in the officials registry, or import with new "
    "officials."
)
MSG_SAME_OFFICIAL = gettext_noop(
    "Rows %(rows)s, column họ và tên / name: all are linked to the same official “%(name)s”; "
    "a person is rated once in a session."
)
MSG_GONE = gettext_noop(
    "Row %(row)s: the official it was to be linked to is no longer among this body's "
    "officials. Read the file again."
)


@dataclass(frozen=True)
class RowMatch:
    row: TallyRow
    official: Official | None  # the only official of the body with this name, or None


def name_key(name: str) -> str:
    """A full name as the matching compares it (the registry's search folding)."""
    return search_key(name)


def _officials_by(organization: Organization, key: Callable[[str], str]) -> dict:
    found: dict[str, list[Official]] = {}
    for official in Official.objects.filter(organization=organization).order_by("pk"):
        found.setdefault(key(official.full_name), []).append(official)
    return found


def rows_matched(
    organization: Organization | None, rows: Sequence[TallyRow]
) -> tuple[list[RowMatch], list[str]]:
    """Each row with the body's official it would continue (or None), and the problems that
    refuse the whole import: an ambiguous name. A body not yet created has no officials."""
    known = _officials_by(organization, name_key) if organization is not None else {}
    spelled = _officials_by(organization, normalize_name) if organization is not None else {}
    matches, problems = [], []
    for row in rows:
        # A name typed with its tone marks that is spelled so in the body wins: a body with both
        # Nguyễn Văn Hùng and Nguyễn Văn Hưng links "Nguyễn Văn Hùng" to the first without
        # asking; "nguyen van hung", typed without marks, stays ambiguous.
        marked = normalize_name(row.full_name) != name_key(row.full_name)  # typed with its marks
        same = (marked and spelled.get(normalize_name(row.full_name))) or known.get(
            name_key(row.full_name), []
        )
        if len(same) > 1:
            problems.append(
                _(MSG_AMBIGUOUS)
                % {
                    "row": row.line,
                    "count": len(same),
                    "name": row.full_name,
                    "ids": ", ".join(f"#{o.pk}" for o in same),
                }
            )
        matches.append(RowMatch(row, same[0] if len(same) == 1 else None))
    return matches, problems


def links_problems(rows: Iterable[TallyRow], links: Mapping[int, Official]) -> list[str]:
    """Two rows (file lines) linked to one official: refused, a candidate is rated once."""
    lines_of: dict[int, list[int]] = {}
    for row in rows:
        if row.line in links:
            lines_of.setdefault(links[row.line].pk, []).append(row.line)
    problems = []
    for lines in lines_of.values():
        if len(lines) > 1:
            official = next(links[line] for line in lines)
            problems.append(
                _(MSG_SAME_OFFICIAL)
                % {"rows": ", ".join(map(str, lines)), "name": official.full_name}
            )
    return problems


def links_resolve(
    organization: Organization, chosen: Mapping[int, int]
) -> tuple[dict[int, Official], list[str]]:
    """File line → official id (as confirmed in the browser) → the body's officials, read
    again now: an official merged or moved away since the preview is refused with its row."""
    officials = Official.objects.filter(organization=organization, pk__in=set(chosen.values()))
    by_pk = {official.pk: official for official in officials}
    links, problems = {}, []
    for line, pk in sorted(chosen.items()):
        if pk in by_pk:
            links[line] = by_pk[pk]
        else:
            problems.append(_(MSG_GONE) % {"row": line})
    return links, problems
