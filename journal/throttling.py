"""Counting requests per key in the cache, for the pages that send e-mail or take uploads.

The same idea as the API's throttles (DRF counts in the cache too), for plain Django views: a
fixed window that starts at the first request. With several processes, use a shared cache
(Redis, see docs/operations.md) so the count is shared as well.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _cache_key(scope: str, key: str) -> str:
    # Hashed: keys can be e-mail addresses, which have no place in a cache's key listing.
    digest = hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    return f"throttle:{scope}:{digest}"


def used(scope: str, key: str) -> int:
    return cache.get(_cache_key(scope, key), 0)


def exhausted(scope: str, key: str, *, limit: int) -> bool:
    """Whether ``key`` has already had ``limit`` requests in the current window."""
    return used(scope, key) >= limit


def record(scope: str, key: str, *, period: int = 3600) -> int:
    """Count one request for ``key``; the window of ``period`` seconds starts at the first."""
    cache_key = _cache_key(scope, key)
    cache.add(cache_key, 0, timeout=period)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period)
        return 1
