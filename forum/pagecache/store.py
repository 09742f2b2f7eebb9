"""Where cached pages and the version counters live: Redis when REDIS_URL is set (shared by
every process and machine), this process's memory otherwise.

A store keeps two things:
- entries: a rendered page and what it was made from, each kept for at most a TTL;
- versions: one counter per thing a page can show (`t:12` is thread 12 and its replies,
  `u:7` user 7, `l:3` the listing of board 3 ...), raised after every commit that changes it.

Redis counters never repeat a value even if Redis evicts them: a missing counter starts at a
random 62-bit number, never at 0, so a page recorded against an evicted counter can't match
the counter that replaces it.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable

from cachetools import TTLCache
from flask import current_app

try:
    import redis
except ImportError:  # the `redis` extra is not installed: only MemoryStore works
    redis = None


def _fresh_start() -> int:
    return secrets.randbits(62)


class MemoryStore:
    """This process only: right for one process (`make run`); with several processes and no
    Redis, a process sees another's writes only when its own entries expire (the TTL)."""

    def __init__(self, max_entries: int, ttl: int) -> None:
        self._entries: TTLCache = TTLCache(maxsize=max_entries, ttl=ttl)
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: str, data: bytes) -> None:
        with self._lock:
            self._entries[key] = data

    def versions(self, names: list[str]) -> list[int]:
        with self._lock:
            return [self._versions.setdefault(name, 0) for name in names]

    def bump(self, names: Iterable[str]) -> None:
        with self._lock:
            for name in names:
                self._versions[name] = self._versions.get(name, 0) + 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._versions.clear()


class RedisStore:
    """Shared by every process: a write through one is seen by the next read through any.
    If Redis stops answering, pages are rendered as if nothing were cached (and logged)."""

    def __init__(self, url: str, prefix: str, ttl: int) -> None:
        if redis is None:
            raise RuntimeError("REDIS_URL is set but redis-py is missing: pip install redis")
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._pages, self._counters = f"{prefix}page:", f"{prefix}version:"
        self._ttl = ttl

    def get(self, key: str) -> bytes | None:
        try:
            return self._redis.get(self._pages + key)
        except redis.RedisError as err:
            _warn("read a page", err)
            return None

    def put(self, key: str, data: bytes) -> None:
        try:
            self._redis.set(self._pages + key, data, ex=self._ttl)
        except redis.RedisError as err:
            _warn("store a page", err)

    def versions(self, names: list[str]) -> list[int | None]:
        """The counters' values; missing ones are started (at a random number) first."""
        keys = [self._counters + name for name in names]
        try:
            values = self._redis.mget(keys) if keys else []
            missing = [key for key, value in zip(keys, values, strict=True) if value is None]
            if missing:
                with self._redis.pipeline(transaction=False) as pipe:
                    for key in missing:
                        pipe.set(key, _fresh_start(), nx=True)
                    pipe.mget(keys)
                    values = pipe.execute()[-1]
        except redis.RedisError as err:
            _warn("read versions", err)
            return [None] * len(names)  # None never matches: nothing is served
        return [int(value) for value in values]

    def bump(self, names: Iterable[str]) -> None:
        try:
            with self._redis.pipeline(transaction=False) as pipe:
                for name in names:
                    pipe.set(self._counters + name, _fresh_start(), nx=True)
                    pipe.incr(self._counters + name)
                pipe.execute()
        except redis.RedisError as err:  # pages stay cached until their TTL at most
            current_app.logger.error("Page cache: could not record a change (%s)", err)

    def clear(self) -> None:
        for pattern in (self._pages + "*", self._counters + "*"):
            for key in self._redis.scan_iter(match=pattern, count=500):
                self._redis.delete(key)


def _warn(what: str, err: Exception) -> None:
    current_app.logger.warning("Page cache: could not %s (%s)", what, err)
