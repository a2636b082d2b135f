"""The addresses phones in the hall can reach this machine at, for the QR codes on the slips.

Read from the machine's own interfaces (`ip -j addr`, else the host name's addresses): nothing
is sent on any network. Loopback and link-local addresses are left out: a phone cannot open
127.0.0.1, which is the phone itself.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import subprocess

from django.http.request import split_domain_port


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified)


def addresses_from_ip_json(text: str) -> list[str]:
    """IPv4 addresses of the interfaces that are up, from `ip -j addr` output."""
    try:
        interfaces = json.loads(text)
    except ValueError:
        return []
    found = []
    for interface in interfaces if isinstance(interfaces, list) else []:
        if not isinstance(interface, dict) or "UP" not in interface.get("flags", []):
            continue
        for info in interface.get("addr_info", []):
            if info.get("family") == "inet" and _usable(str(info.get("local", ""))):
                found.append(str(info["local"]))
    return found


def _from_ip_command() -> list[str]:
    ip = shutil.which("ip") or next(
        (p for p in ("/usr/sbin/ip", "/sbin/ip") if shutil.which(p)), None
    )
    if ip is None:
        return []
    try:
        result = subprocess.run(  # noqa: S603 - a fixed command, no shell, no user input
            [ip, "-j", "-4", "addr", "show"], capture_output=True, text=True, timeout=2, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return addresses_from_ip_json(result.stdout)


def _from_host_name() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, family=socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos if _usable(str(info[4][0]))]


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses that other machines may reach: private ones first."""
    found = list(dict.fromkeys(_from_ip_command() or _from_host_name()))
    return sorted(found, key=lambda a: (not ipaddress.ip_address(a).is_private, found.index(a)))


def _reachable(host: str) -> bool:
    """An address or a name other machines could use (not localhost, not loopback)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(host) and host != "localhost" and not host.endswith(".localhost")
    return _usable(host)


def phone_urls(*, request_host: str, port: int | str, scheme: str = "http") -> list[str]:
    """Base addresses to propose for the slips' QR codes, the best first.

    The address this page was opened at comes first when phones could use it too (the
    secretariat reached the server through it); then the machine's LAN addresses, on the port
    this page was served from.
    """
    host = split_domain_port(request_host)[0].strip("[]")
    default_port = "443" if scheme == "https" else "80"
    suffix = "" if str(port) in ("", default_port) else f":{port}"
    urls = [f"{scheme}://{request_host}"] if _reachable(host) else []
    urls += [f"{scheme}://{address}{suffix}" for address in lan_addresses()]
    return list(dict.fromkeys(urls))
