"""What Homegroup keeps of a client's network address: a keyed hash, or nothing.

The address itself is needed for a moment only, to count login and signup attempts per network
(allauth's per-address rate limits). Those counters are keyed by ``address_key``, an HMAC under
``SECRET_KEY`` that cannot be reversed without it; IPv6 addresses are grouped by their /64 first,
so one home network is one key. Nothing stores even that in the database: allauth's session list
would record the address, and ``forget_session_address`` replaces it with ``NO_ADDRESS``.
"""

from __future__ import annotations

import ipaddress

from django.utils.crypto import salted_hmac

NO_ADDRESS = "0.0.0.0"  # noqa: S104 - a placeholder stored instead of an address, never bound
IPV6_NETWORK_PREFIX = 64


def address_key(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
            parsed = parsed.ipv4_mapped
        if isinstance(parsed, ipaddress.IPv6Address):
            network = str(ipaddress.IPv6Network(f"{parsed}/{IPV6_NETWORK_PREFIX}", strict=False))
        else:
            network = str(parsed)
    return salted_hmac("homegroup.client-address", network, algorithm="sha256").hexdigest()[:32]


def forget_session_address(sender, instance, **kwargs) -> None:
    """pre_save of allauth's UserSession: the only hook on a model that is not ours."""
    instance.ip = NO_ADDRESS
