"""The client's address behind the reverse proxies the deployment trusts (TRUSTED_PROXIES)."""

import logging
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address, ip_address

from django.conf import settings
from django.http import HttpRequest

from anima.security import proxy_networks

PEER_KEY = "anima.peer_address"


@lru_cache(maxsize=4)
def _networks(entries: tuple[str, ...]):
    return proxy_networks(list(entries))


def _is_trusted(address: IPv4Address | IPv6Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The rightmost address not of a trusted proxy: the peer, then X-Forwarded-For from the end.

    Anything left of that address was written by the client itself and is never believed.
    """
    peer = request.META.get(PEER_KEY) or request.META.get("REMOTE_ADDR", "")
    current = _parse(peer)
    if current is None or not _is_trusted(current):
        return peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A trusted proxy wrote something unreadable: the last trusted hop is all we know.
            break
        current = address
        if not _is_trusted(current):
            break
    return str(current)


class ClientAddressFilter(logging.Filter):
    """Adds ``client`` to every log record: the address of the request it is about, or "-"."""

    def filter(self, record: logging.LogRecord) -> bool:
        meta = getattr(getattr(record, "request", None), "META", None)
        record.client = meta.get("REMOTE_ADDR", "-") if meta else "-"
        return True
