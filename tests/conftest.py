"""Test-wide settings and the shared cast (tests.factories.build_cast) as fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from ballots import voter_pages, voting

from .built_once import builder_of, built_once, group_by_builder, shared
from .factories import Cast, build_cast


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collectstatic needed to run the tests: plain storage instead of the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Each run its own test database (the process id in its name): two runs of one checkout
    on one DATABASE_URL would otherwise drop each other's tables. Django removes it at the end.
    """
    for database in settings.DATABASES.values():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3":
            if test.get("NAME"):  # tinnhiem/settings.py: a file beside the configured one
                name = Path(test["NAME"])
                test["NAME"] = str(name.with_stem(f"{name.stem}_{os.getpid()}"))
        else:
            test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_{os.getpid()}"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    group_by_builder(items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture, so a test that wants other rows never starts inside the shared ones.
    if builder_of(item) != shared.key:
        shared.leave()


@pytest.fixture(scope="session")
def _built_once_session(django_db_setup, django_db_blocker):
    """Rolls the shared rows back at the end, before the test database goes."""
    yield django_db_blocker
    shared.leave()


@pytest.fixture(autouse=True)
def _no_frozen_ballot_kept():
    """Tests rewrite and roll back rows that no server ever sees change (a built-once session
    keeps its public id from test to test), and change settings: what one process keeps of the
    voter's pages starts empty."""
    voting.forget_frozen_ballots()
    voter_pages.forget()


@pytest.fixture(autouse=True)
def _built_once_rows(request, _test_settings):
    """Opens the shared transaction before `db` opens the test's own (autouse runs first)."""
    key = builder_of(request.node)
    if key is not None:
        marker = request.node.get_closest_marker("django_db")
        if "transactional_db" in request.fixturenames or (
            marker is not None and marker.kwargs.get("transaction")
        ):
            raise pytest.UsageError(
                f"{request.node.nodeid}: built-once rows never commit; use cast_tx here"
            )
        shared.enter(key, request.getfixturevalue("_built_once_session"))


@pytest.fixture
def _built_once_copy(_built_once_rows, db):
    return shared.copy()


@built_once
def cast() -> Cast:
    """The shared cast (tests.factories.build_cast), built once for consecutive tests."""
    return build_cast()


@pytest.fixture
def cast_tx(transactional_db) -> Cast:
    """The same cast for tests that need real commits (threads, row locks)."""
    return build_cast()
