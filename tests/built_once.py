"""Fixtures whose rows are built once for consecutive tests: Django's setUpTestData, for pytest
functions.

`@built_once` turns a builder (a plain function making rows and returning a Cast) into a
fixture of the same name. The first test that asks for it opens one outer transaction and runs
the builder; that test and the following ones asking for the same fixture each run in a
savepoint inside it (pytest-django's `db`) and get their own deep copy of the returned objects,
so what one test writes or mutates is gone for the next. Before any test that wants something
else, transactional tests included, the outer transaction is rolled back: those tests see the
same empty database as before. tests/conftest.py groups a module's tests by built-once fixture
so that each is built once per module.

A test may use one built-once fixture besides `cast`; `cast` then is the same object.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from django.db import transaction

Builder = Callable[..., Any]


class Key(NamedTuple):
    build: Builder
    param: Any

    def run(self) -> Any:
        return self.build() if self.param is None else self.build(self.param)


class _Shared:
    def __init__(self) -> None:
        self.key: Key | None = None
        self.value: Any = None
        self._atomic: Any = None
        self._blocker: Any = None

    def enter(self, key: Key, blocker) -> None:
        if self.key == key:
            return
        self.leave()
        with blocker.unblock():
            if transaction.get_connection().in_atomic_block:
                raise pytest.UsageError(
                    "a built-once fixture needs its transaction outermost: it is for `db` "
                    "tests without a django_db marker (transactional tests use cast_tx)"
                )
            atomic = transaction.atomic()
            # Marked like TestCase's own atomics, so the services' durable blocks run inside.
            atomic._from_testcase = True
            atomic.__enter__()
            self._atomic, self._blocker = atomic, blocker
            try:
                self.value = key.run()
            except BaseException:
                self.leave()
                raise
        self.key = key

    def leave(self) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic, self.key, self.value = self._atomic, None, None, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def copy(self) -> Any:
        return copy.deepcopy(self.value)


shared = _Shared()


def built_once(build: Builder | None = None, *, params: list[Any] | None = None):
    """The fixture named after `build`, built once for consecutive tests (module docstring).

    With `params`, the builder takes the parameter and each value is built once (the tests are
    parametrized as with any fixture's params, or pick values with indirect parametrization)."""
    if build is None:
        return lambda build: built_once(build, params=params)

    def fixture(_built_once_copy):
        return _built_once_copy

    fixture.built_once = build
    return pytest.fixture(name=build.__name__, params=params)(fixture)


def builder_of(item: pytest.Item) -> Key | None:
    """What the built-once fixture the test uses builds, if any: its builder and parameter."""
    keys = []
    for name in getattr(item, "fixturenames", ()):
        defs = item._fixtureinfo.name2fixturedefs.get(name)
        build = getattr(defs[-1].func, "built_once", None) if defs else None
        if build is not None:
            if defs[-1].params is None:
                keys.append(Key(build, None))
            else:
                keys.append(Key(build, item.callspec.params[name]))
    if len(keys) > 1:
        keys = [key for key in keys if key.build.__name__ != "cast"]
    if len(keys) > 1:
        raise pytest.UsageError(f"{item.nodeid}: more than one built-once fixture")
    return keys[0] if keys else None


def group_by_builder(items: list[pytest.Item]) -> None:
    """Within each run of one module's tests, put the tests of each built-once fixture together
    (in order of first use), keeping the order pytest-django gave the runs."""
    start = 0
    while start < len(items):
        module = getattr(items[start], "module", None)
        end = start + 1
        while end < len(items) and getattr(items[end], "module", None) is module:
            end += 1
        run = items[start:end]
        first: dict[Any, int] = {}
        for item in run:
            first.setdefault(builder_of(item), len(first))
        run.sort(key=lambda item: first[builder_of(item)])
        items[start:end] = run
        start = end
