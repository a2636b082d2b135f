"""tinnhiem.warmup: what a worker's first request would load is loaded at start, without the DB."""

from __future__ import annotations

import runpy
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

from tinnhiem.warmup import warm_up

VOTER_PAGES = ["ballots/start.html", "ballots/ballot.html", "ballots/review.html"]


def _cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]  # the cached loader (DEBUG off or on)
    return {key.split("-")[0] for key in loader.get_template_cache}


def test_warm_up_compiles_the_voter_pages_and_the_staff_home_into_the_template_cache():
    engines["django"].engine.template_loaders[0].reset()
    compiled = warm_up()  # not marked django_db: any query would fail the test
    for name in [*VOTER_PAGES, "ballots/done.html", "votesessions/dashboard.html"]:
        assert name in compiled
        assert name in _cached_names()


def test_warm_up_builds_the_url_maps_of_every_language():
    resolver = get_resolver()
    resolver._reverse_dict.clear()
    warm_up()
    assert {code for code, _name in settings.LANGUAGES} <= set(resolver._reverse_dict)
    with translation.override("en"):
        assert resolver.reverse_dict.getlist("healthz")


def test_gunicorn_preloads_the_application_so_workers_fork_warm():
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    assert conf["preload_app"] is True
