"""IP addresses among the identifier scan's candidates (``patterns.find_structured``): an IPv6
address's length, and whether a dotted quad is a host's IPv4 address rather than a loopback,
broadcast or network address, a version number or a section number (``ipaddress`` checks
the form)."""

from __future__ import annotations

import ipaddress

from stages.pii.rx import guarded

__all__ = ["ipv4_host", "ipv6_end"]


def ipv6_end(value: str) -> int:
    """Length of the IPv6 address at the start of ``value`` (a candidate: the address, a zone
    such as ``%eth0``, a prefix length such as ``/64``), or 0 when it is none."""
    address, _, prefix = value.partition("/")
    if prefix and int(prefix) > 128:
        value = address  # 2001:db8::/9999: the address, not the number after it
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return 0
    # "12:30::" style false friends (clock times) have few groups and no hex letters; "a::",
    # "fd::" and "::1" are prefixes or the loopback address, not a host. An IPv4 address inside
    # (::ffff:192.0.2.1, 64:ff9b::198.51.100.1) makes it one, with the IPv4 part in the span.
    plain = address.partition("%")[0]
    embedded = "." in plain
    groups = [g for g in plain.split(":") if g]
    if len(groups) < 2 and not embedded:
        return 0
    if plain.count(":") >= 3 or embedded or any(c in "abcdefABCDEF" for c in plain):
        return len(value)
    return 0


_IP_CTX = guarded(
    r"(\b(ip|ipv4|address|addr|host|server|login|logged|from|client|source)\b|地址|服务器|主机|登录|来源)"
)


def _ipv4_ok(value: str, ctx: str, after: str) -> bool:
    parts = value.split(".")
    if any(len(p) > 1 and p[0] == "0" for p in parts):
        return False
    nums = [int(p) for p in parts]
    if any(n > 255 for n in nums) or nums[0] == 0:
        return False
    addr = ipaddress.IPv4Address(value)
    if addr.is_loopback or addr.is_multicast or addr.is_unspecified or addr.is_reserved:
        return False  # 127.0.0.1, 224.x: no one's address
    if nums[3] == 255 or (nums[3] == 0 and (nums[2] == 0 or after.startswith("/"))):
        return False  # a broadcast or network address (192.168.0.0, 10.1.2.0/24), not a host
    if not _IP_CTX.search(ctx) and nums[0] != 10 and all(n <= 20 for n in nums):
        return (
            False  # 4.8.1.2, 12.2.2.1: section or version numbers unless introduced as an address
        )
    return True


#: Words before a dotted quad that make it a version, not an address (firmware 10.0.3.2);
#: whole words only, so that "server 10.1.2.3" stays an address.
_VERSION_CTX = guarded(
    r"(\b(?:v|version|ver\.?|firmware|fw|build|release|rev\.?|revision|patch)|版本|固件|补丁)\s*$"
)


#: Words right after a dotted quad that make it a version (安全控件6.3.0.128版本, 2.1.0.4 version).
_VERSION_AFTER = guarded(r"[ ]?(?:版|(?i:version|release|build)\b)")


def ipv4_host(value: str, ctx: str, after: str = "") -> bool:
    """Whether the dotted quad ``value`` is a host's address: ``ctx`` is the lower-cased text
    before it, ``after`` the few characters after it (``/24``, ``版本``)."""
    return (
        _ipv4_ok(value, ctx, after)
        and not _VERSION_CTX.search(ctx)
        and not _VERSION_AFTER.match(after)
    )
