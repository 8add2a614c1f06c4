"""The one answer to "which address is this request from?" (issue 13).

Every login and sign-up limit (allauth's adapter), the /cek upload limit, the
audit log and the consent record ask ``client_ip``. Behind the documented
nginx every socket peer is 127.0.0.1, so without this they would treat every
user as one, and one stranger could lock everybody out.

The rule: a forwarding header is believed only when the socket peer is one of
``settings.TRUSTED_PROXIES`` (IPs or CIDRs; empty by default, so no header is
believed). Then the client is the right-most X-Forwarded-For entry that is not
itself a trusted proxy: entries to its left were written by the client and may
be forged. Addresses are parsed by python-ipware (ports, brackets, IPv4-mapped
IPv6 and garbage handled as django-ipware does). django-ipware's own
``proxy_trusted_ips`` is not used: it matches the header's trailing entries in
order and never looks at the socket peer, so a client connecting directly could
still choose its address.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from python_ipware.modern.parsers import parse_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR network"
            ) from None
    return tuple(networks)


def trusted_proxy_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _is_trusted(ip, networks) -> bool:
    return any(ip.version == net.version and ip in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address: the peer, or what trusted proxies say the client was."""
    if request is None:
        return None
    peer = parse_ip(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_proxy_networks()
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR") or ""
    for token in reversed(forwarded.split(",")):
        hop = parse_ip(token)
        if hop is None:
            # A trusted proxy wrote something that is not an address: believe
            # nothing to its left, and count the request against the proxy.
            return str(peer)
        if not _is_trusted(hop, networks):
            return str(hop)
    # Every hop is a trusted proxy (or there is no header): a request made by
    # the proxy host itself, e.g. a health check.
    return str(peer)


def peer_is_trusted_proxy(request) -> bool:
    """Whether the socket peer itself is one of ``TRUSTED_PROXIES`` (then the headers
    that proxy sets may be believed; never the ones it merely passes on)."""
    peer = parse_ip(request.META.get("REMOTE_ADDR") or "")
    networks = trusted_proxy_networks()
    return peer is not None and bool(networks) and _is_trusted(peer, networks)
