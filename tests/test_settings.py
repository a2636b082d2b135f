"""Settings come from the environment; production refuses to start without a secret."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Xq9vTzR7pLmW2sYb8nHc4dJf6gAe1uQoViErTyUiOpAsDfGhJkLzXcVbNm",
    "AUDIT_KEY": "Zr5tWq8yUe2iOp4aSd6fGh1jKl3zXc7vBn9mQw0eRt2y",
    "ALLOWED_HOSTS": "tinnhiem.example.gov.vn",
    "SECURE_SSL": "true",
    "DATABASE_URL": "sqlite:////tmp/tinnhiem-deploy-check.sqlite3",
}

# Not inherited from the environment the tests run in.
SCRUBBED = {
    "DEBUG",
    "SECRET_KEY",
    "AUDIT_KEY",
    "AUDIT_KEY_FILE",
    "DATABASE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("audit_key", [None, "too-short-to-resist-guessing"])
def test_production_refuses_to_start_without_a_long_audit_key(audit_key):
    env = {k: v for k, v in PRODUCTION.items() if k != "AUDIT_KEY"}
    if audit_key:
        env["AUDIT_KEY"] = audit_key
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "AUDIT_KEY (32 characters or more) must be set" in result.stderr


def test_check_deploy_reports_only_the_documented_hsts_preload_warning():
    result = _manage("check", "--deploy", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "security.W021" in output  # HSTS preload: opt-in, see docs/deployment.md
    assert "1 issue" in output


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["SECRET_KEY"])
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", env={**env, "SECRET_KEY_FILE": str(secret)})
    assert result.returncode == 0, result.stderr


def test_sqlite_runs_in_wal_mode_with_full_sync_and_immediate_transactions(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
    assert journal == "wal"
    assert synchronous == 2  # FULL
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] >= 5


def test_the_sqlite_test_database_sits_beside_the_configured_one(monkeypatch, tmp_path):
    """Not one fixed file: two checkouts or databases never share a test database."""
    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'votes.sqlite3'}")
    database = runpy.run_path(str(ROOT / "tinnhiem" / "settings.py"))["DATABASES"]["default"]
    assert database["TEST"]["NAME"] == str(tmp_path / "test_votes.sqlite3")


def test_the_interface_is_vietnamese_even_for_an_english_browser(client, db):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_english_is_one_click_away(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert "Sign in" in page
    assert "Đăng nhập" not in page


def test_the_health_check_needs_no_sign_in(client, db):
    response = client.get(reverse("healthz"))
    assert (response.status_code, response.content) == (200, b"ok")


def test_static_files_come_from_our_own_server_not_a_cdn(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "bootstrap" in page
    assert "//cdn" not in page and "https://" not in page.split("<body")[0]


def test_manage_py_after_make_run_uses_the_audit_key_make_run_kept(tmp_path):
    """Without AUDIT_KEY, a development checkout signs with var/audit_key if make run made one."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    project = tmp_path / "project"
    shutil.copytree(root / "tinnhiem", project / "tinnhiem")
    (project / "var").mkdir()
    (project / "var" / "audit_key").write_text("k" * 40 + "\n")
    code = "from django.conf import settings; print(settings.AUDIT_KEY)"
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "tinnhiem.settings"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=project,
        env={**env, "PYTHONPATH": f"{project}:{root}"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "k" * 40
