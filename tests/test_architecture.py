"""The session's status has one writer and is read through named predicates (issue 14).

- Python: no `.update(status=…)`, `VotingSession(status=…)`, `.create(status=…)` or
  `session.status = …` outside sessions/services/transitions.py (a draft created with the
  default status writes none); no comparison of `.status` outside the predicates on the model.
- Templates: no status compared with a string (`session.status == "open"`): the predicates
  (`session.is_open`, `session.is_counted`, …) say it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("sessions", "people", "ballots", "results", "campaigns", "tinnhiem")
WRITER = "sessions/services/transitions.py"
PREDICATES = "sessions/models/session.py"
WRITING_CALLS = {"update", "create", "get_or_create", "update_or_create", "VotingSession"}


def _python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text())


def _is_status(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "status"


def _status_writes(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in WRITING_CALLS and any(k.arg == "status" for k in node.keywords):
                lines.append(node.lineno)
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                elements = target.elts if isinstance(target, ast.Tuple) else [target]
                # `self.status` is an exception's HTTP status (ballots.refusals.BallotRefused).
                if any(
                    _is_status(t) and not (isinstance(t.value, ast.Name) and t.value.id == "self")
                    for t in elements
                ):
                    lines.append(node.lineno)
    return sorted(lines)


def _status_comparisons(tree: ast.AST) -> list[int]:
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(_is_status(side) for side in [node.left, *node.comparators])
    )


def test_only_the_life_cycle_service_writes_a_session_status():
    found = [
        f"{path}:{line}"
        for path, tree in _python_files()
        if path != WRITER
        for line in _status_writes(tree)
    ]
    assert found == [], "write the status through sessions.services.session_transition"


def test_python_asks_the_predicates_instead_of_comparing_the_status():
    found = [
        f"{path}:{line}"
        for path, tree in _python_files()
        if path != PREDICATES
        for line in _status_comparisons(tree)
    ]
    assert found == [], "use session.is_open, session.is_counted, … (sessions/models/session.py)"


# A status compared in a template tag: `status == "open"`, `"open" != x.status`, `status in …`.
STATUS_COMPARED = re.compile(
    r"\bstatus\s*(==|!=|<|>|\bin\b|\bnot\s+in\b)|(==|!=)\s*[\w.]*\bstatus\b"
)
TAG = re.compile(r"{%.*?%}", re.DOTALL)


def test_no_template_compares_the_status_with_a_string():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT).as_posix()
        for tag in TAG.findall(path.read_text()):
            if STATUS_COMPARED.search(tag):
                found.append(f"{name}: {tag}")
    assert found == [], "use the predicates: session.is_open, session.has_opened, …"


def test_the_checks_see_what_they_look_for():
    """The patterns above are not vacuous."""
    tree = ast.parse(
        "VotingSession.objects.filter(pk=1).update(status=Status.OPEN)\n"
        "session.status = Status.OPEN\n"
        "x = VotingSession(status='closed')\n"
        "if session.status == 'open': pass\n"
    )
    assert _status_writes(tree) == [1, 2, 3]
    assert _status_comparisons(tree) == [4]
    assert STATUS_COMPARED.search('{% if session.status == "open" %}')
    assert STATUS_COMPARED.search('{% if "open" != session.status %}')
    assert not STATUS_COMPARED.search("{% if session.is_open %}")


def test_no_module_of_the_apps_passes_the_house_limit_of_400_lines():
    """design.md: split a module that passes ~400 lines (into a package, or by cohesion)."""
    long = [
        f"{name}: {len(path.read_text().splitlines())}"
        for name, path in (
            (p.relative_to(ROOT).as_posix(), p)
            for app in APPS
            for p in sorted((ROOT / app).rglob("*.py"))
            if "migrations" not in p.parts
        )
        if len(path.read_text().splitlines()) > 400
    ]
    assert long == []
