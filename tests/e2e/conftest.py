"""Browser tests: real Chromium (the system's /usr/bin/chromium) driven by Playwright."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    """Every test here drives a real browser: marked `browser` (deselect with -m "not browser");
    without Chromium they skip, so `make test` runs them only where Chromium is installed."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: install the Debian package 'chromium'")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are
    # still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield context.new_page()
    context.close()


# Vendored (tests/e2e/vendor/axe-core/README.md): the tests never fetch anything.
AXE_VERSION = "4.10.3"
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# The package's own sri-history.json entry for this version's axe.min.js.
AXE_SHA256 = "iAlwwIFwc2DmTzTOol/5GJL1vJVnWwd2kluXCd2KaLs="


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The vendored axe-core, checked against the hash its package publishes."""
    data = AXE_SCRIPT.read_bytes()
    assert base64.b64encode(hashlib.sha256(data).digest()).decode() == AXE_SHA256
    assert data.startswith(f"/*! axe v{AXE_VERSION}".encode())
    return data.decode()
