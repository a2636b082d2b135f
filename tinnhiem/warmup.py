"""Load at start what a worker's first request would otherwise load, so that none is slow.

Called by tinnhiem/wsgi.py once the application exists. With `preload_app` (gunicorn.conf.py)
that happens once in gunicorn's master, before it forks the workers, and every worker starts
with it all in memory: the URLconf and every view module it imports, the URL maps of each
language, the translation catalogs, and every template (the project's and the apps', ~200)
compiled (with its tag libraries) in the cached template loader, the form widgets' templates, and
the minutes table's font cut (results/table_font.py).

It touches no database: a connection opened in the master would be shared by every forked
worker. It closes any connection anyway, in case a module imported here opened one. Each
worker, once forked, keeps the ballots of the open sessions (warm_worker).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import DatabaseError, connections
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import URLResolver, get_resolver
from django.utils import translation

from ballots.voting import keep_open_ballots
from results import table_font


def _populate(resolver: URLResolver) -> None:
    """Build a resolver's URL maps in the active language, and those of its namespaces."""
    resolver.reverse_dict  # noqa: B018 - the property builds the maps
    for _prefix, namespace in resolver.namespace_dict.values():
        _populate(namespace)


def warm_up() -> list[str]:
    """Resolve the URLs, load the catalogs and compile the templates; the templates' names."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # each language has its own URL maps and catalog
            _populate(get_resolver())  # imports the URLconf, and so every view, first
    compiled = []
    for engine in engines.all():
        for folder in getattr(engine, "template_dirs", ()):  # the project's, then the apps
            for path in sorted(Path(folder).rglob("*.html")):
                name = path.relative_to(folder).as_posix()
                engine.get_template(name)
                compiled.append(name)
    # The form widgets' own templates, through the form renderer's own engine.
    renderer = get_default_renderer()
    widgets = Path(forms.__file__).parent / "templates"
    for path in sorted(widgets.rglob("*.html")):
        renderer.get_template(path.relative_to(widgets).as_posix())
    table_font.warm()
    connections.close_all()
    return compiled


def warm_worker() -> threading.Thread:
    """In a worker just forked (gunicorn.conf.py post_worker_init): keep the ballot of every
    open session (ballots/voting.py), so that its first voter waits for no read of the people.
    In a thread of its own, with its own connection (closed when done), so the worker answers
    its first request at once; a voter arriving before it is done reads the ballot as before.
    A database that does not answer yet is no reason not to start."""
    thread = threading.Thread(target=_keep_open_ballots, name="warm-worker", daemon=True)
    thread.start()
    return thread


def _keep_open_ballots() -> None:
    try:
        keep_open_ballots()
    except DatabaseError:
        logging.getLogger(__name__).warning("the worker starts without the open ballots kept")
    finally:
        connections.close_all()  # this thread's own
