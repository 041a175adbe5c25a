"""Walks of the succession of bodies and units (the 2025 merger, reorganisations), kept between requests.

Every page that checks access walks its user's bodies back to what they succeeded (`agreements.access`), and
the agreement page walks its parties forward to what they are today (`models.prefetch_chains`): each walk is
two or three queries with sorted subqueries, 10 to 15 ms, much of it compiling them. A walk depends only on
the ids it starts from and on the graph, so it is kept in Django's cache under those ids and the graph's
version, read with the version in one query. Saving or deleting any body or unit renews the version after the
commit (`agreements.apps`); a bulk write of bodies or units calls `forget_body_graph()`; nothing is kept longer
than BODY_GRAPH_CACHE_SECONDS (0: every walk is made again, as in the test suite but for its own tests).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Collection
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

_VERSION_KEY = "agreements:body-graph-version"

Walk = TypeVar("Walk")


def kept_walk(kind: str, ids: Collection[int], walk: Callable[[set[int]], Walk]) -> Walk:
    """`walk(ids)`, from the cache when the graph has not changed since it was made."""
    wanted = set(ids)
    seconds = settings.BODY_GRAPH_CACHE_SECONDS
    if not seconds or not wanted:
        return walk(wanted)
    key = f"agreements:{kind}:" + hashlib.sha256(",".join(map(str, sorted(wanted))).encode()).hexdigest()
    found = cache.get_many([_VERSION_KEY, key])
    version = found.get(_VERSION_KEY)
    if version is None:
        version = forget_body_graph()
    kept = found.get(key)
    if kept is not None and kept[0] == version:
        made: Walk = kept[1]
        return made
    made = walk(wanted)
    cache.set(key, (version, made), seconds)
    return made


def forget_body_graph() -> str:
    """A new version of the graph: every kept walk is made again from the database."""
    version = uuid.uuid4().hex
    cache.set(_VERSION_KEY, version, None)
    return version
