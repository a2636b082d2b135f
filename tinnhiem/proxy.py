"""The client's address behind a trusted reverse proxy: X-Forwarded-For, read from the right.

Behind nginx every request reaches gunicorn from nginx's address, so the voter-code throttle's
network bucket (ballots/throttle.py) and django-axes would count every client as one: a few
hundred wrong codes from anyone would lock the whole hall out. nginx appends the address it
was connected from to X-Forwarded-For (`proxy_add_x_forwarded_for`); what a client wrote there
itself stands to the left of it. So, only when the connection comes from a proxy listed in
TRUSTED_PROXIES, REMOTE_ADDR becomes the rightmost address of the header that is not itself a
trusted proxy. A connection from anywhere else keeps its own address, whatever it sends.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _networks(entries: Iterable[str]) -> list[Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    # An IPv4 peer seen through a dual-stack socket ("::ffff:127.0.0.1") is that IPv4 address.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_address(remote: str, forwarded_for: str, trusted: list[Network]) -> str:
    """The client's address: `remote`, or what a trusted proxy says in X-Forwarded-For."""

    def is_trusted(address) -> bool:
        return address is not None and any(address in network for network in trusted)

    if not forwarded_for or not is_trusted(_address(remote)):
        return remote
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            return remote  # a hop that is no address: trust nothing left of it
        if not is_trusted(address):
            return str(address)
    return remote


def behind_trusted_proxies(app: Callable) -> Callable:
    """The WSGI application, reading the client's address from TRUSTED_PROXIES (if any)."""
    trusted = _networks(settings.TRUSTED_PROXIES)
    if not trusted:
        return app

    def application(environ: dict, start_response: Callable):
        environ["REMOTE_ADDR"] = client_address(
            environ.get("REMOTE_ADDR", ""), environ.get("HTTP_X_FORWARDED_FOR", ""), trusted
        )
        return app(environ, start_response)

    return application
