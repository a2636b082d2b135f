"""Load at start what a worker's first request would otherwise load, so that none is slow.

Called by tinnhiem/wsgi.py once the application exists. With `preload_app` (gunicorn.conf.py)
that happens once in gunicorn's master, before it forks the workers, and every worker starts
with it all in memory: the URLconf and every view module it imports, the URL maps of each
language, the translation catalogs, and every template (the project's and the apps', ~200)
compiled (with its tag libraries) in the cached template loader, the form widgets' templates,
the minutes table's font cut (results/table_font.py), and the voter's start page of each
language, through one GET /b/ each (which also imports what only a request imports).

It touches no database: it may run before the database answers. It closes any connection
anyway, in case a module imported here opened one (a connection left open in the master would
be shared by every forked worker). Then the master keeps the ballots of the open sessions
(keep_ballots), in a thread with its own connection that it closes when done; if the database
has not answered within KEEP_WAIT, the master forks without waiting, and that thread's socket,
never used by a worker, goes with it.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import threading
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError, connections
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import URLResolver, get_resolver
from django.utils import translation

from ballots.voting import keep_open_ballots
from results import table_font
from tinnhiem.context_processors import VOTER_START


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
    _start_pages()
    connections.close_all()
    return compiled


def _start_pages() -> None:
    """GET /b/ once per language, through a handler of its own: what only a request loads (the
    context processors, the session serializer, the message storage) is imported, and each
    language's start page is rendered and kept (ballots/voter_pages.py), so a worker's first
    voter gets it as fast as the next. The page reads nothing from the database."""
    if not settings.ALLOWED_HOSTS and not settings.DEBUG:
        return  # every request is refused (DisallowedHost): nothing to keep, nothing to log
    handler = WSGIHandler()
    host = next(iter(settings.ALLOWED_HOSTS), "localhost").lstrip(".").replace("*", "localhost")
    with translation.override(None):  # each request activates its language; none stays active
        for code, _name in settings.LANGUAGES:
            _start_page(handler, host, code)


def _start_page(handler: WSGIHandler, host: str, code: str) -> None:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": str(VOTER_START),
        "SCRIPT_NAME": os.environ.get("SCRIPT_NAME", ""),  # a URL prefix, as gunicorn sets it
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "443",
        "HTTP_HOST": host,
        "HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}={code}",  # the language switch's
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "https",  # no redirect to HTTPS (SECURE_SSL_REDIRECT)
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    if settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    response = handler(environ, lambda *_: None)  # Django's own response, closed unread
    response.close()
    if response.status_code != 200:
        logging.getLogger(__name__).warning(
            "the %s start page was not kept: %s", code, response.status_code
        )


# How long the master waits for the open ballots before it starts without them.
KEEP_WAIT = 5.0


def keep_ballots() -> None:
    """In gunicorn's master, before it forks (gunicorn.conf.py on_starting): keep the ballot of
    every open session (ballots/voting.py), so that each worker starts with it.

    Read in a thread with its own connection, closed when done, so that no worker shares it. A
    database that refuses, or does not answer within KEEP_WAIT seconds, is no reason not to
    start: a voter's first ballot page then reads the people, as it does for a session opened
    after the start."""
    log = logging.getLogger(__name__)

    def keep() -> None:
        try:
            keep_open_ballots()
        except DatabaseError:
            log.warning("the workers start without the open ballots kept")
        finally:
            connections.close_all()  # this thread's own

    thread = threading.Thread(target=keep, name="keep-ballots", daemon=True)
    thread.start()
    thread.join(KEEP_WAIT)
    if thread.is_alive():
        log.warning(
            "the database did not answer within %s s: the workers start without the open "
            "ballots kept",
            KEEP_WAIT,
        )
