"""tinnhiem.proxy: behind a trusted reverse proxy, the client's address is the one it forwards."""

from __future__ import annotations

import ipaddress

from tinnhiem.proxy import behind_trusted_proxies, client_address

NGINX = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8")]


def test_a_connection_from_the_trusted_proxy_takes_the_address_the_proxy_appended():
    assert client_address("127.0.0.1", "192.168.1.23", NGINX) == "192.168.1.23"


def test_what_a_client_writes_left_of_the_proxys_entry_is_ignored():
    assert client_address("127.0.0.1", "6.6.6.6, 192.168.1.23", NGINX) == "192.168.1.23"


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_first_untrusted_address():
    assert client_address("127.0.0.1", "192.168.1.23, 10.1.2.3", NGINX) == "192.168.1.23"


def test_the_proxy_seen_through_a_dual_stack_socket_is_still_the_trusted_proxy():
    # gunicorn on [::] sees nginx's IPv4 connection as ::ffff:127.0.0.1
    assert client_address("::ffff:127.0.0.1", "192.168.1.23", NGINX) == "192.168.1.23"
    assert client_address("::ffff:192.168.1.50", "192.168.1.23", NGINX) == "::ffff:192.168.1.50"


def test_a_connection_from_elsewhere_keeps_its_own_address_whatever_it_forwards():
    assert client_address("192.168.1.50", "192.168.1.23", NGINX) == "192.168.1.50"


def test_a_hop_that_is_not_an_address_makes_the_proxys_own_address_stay():
    assert client_address("127.0.0.1", "192.168.1.23, unknown", NGINX) == "127.0.0.1"


def _seen_by(app, environ: dict) -> str:
    seen = {}

    def inner(env, start_response):
        seen["address"] = env["REMOTE_ADDR"]
        return [b""]

    app(inner)(environ, lambda *args: None)
    return seen["address"]


def test_the_application_sees_the_forwarded_address_when_the_proxy_is_listed(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.168.1.23"}
    assert _seen_by(behind_trusted_proxies, environ) == "192.168.1.23"


def test_without_trusted_proxies_the_forwarded_header_is_not_read(settings):
    settings.TRUSTED_PROXIES = []
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.168.1.23"}
    assert _seen_by(behind_trusted_proxies, environ) == "127.0.0.1"
