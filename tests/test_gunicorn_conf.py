"""gunicorn.conf.py: where to go is said once the server listens, not before."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings


class _Listener:
    def __init__(self, address: str) -> None:
        self.address = address

    def __str__(self) -> str:
        return self.address


def test_when_ready_prints_the_address_gunicorn_listens_on(capsys):
    conf = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    conf["when_ready"](SimpleNamespace(LISTENERS=[_Listener("http://127.0.0.1:8123")]))
    out = capsys.readouterr().out
    assert "tinnhiem is running: open http://127.0.0.1:8123/ and sign in" in out


def test_the_makefile_no_longer_announces_the_server_before_it_listens():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "tinnhiem is running" not in makefile
