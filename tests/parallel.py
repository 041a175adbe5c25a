"""The suite in two processes (`make test` runs pytest-xdist's `-n 2 --dist loadgroup`).

Each xdist worker has its own test database (pytest-django names it test_<name>_gw0, _gw1); here it
gets its own Redis database too, so that the Celery workers, queues and flushes of one never meet
the other's.  A module whose tests share a module-scoped fixture (the production stack, a document
set rendered once) runs whole in one worker, which sets it up once; such modules are handed out
first (the largest first), so that their minutes overlap the many short tests instead of ending
the run alone.  Every other test is handed out on its own.

xdist's own `loadgroup` reads `xdist_group` marks by renaming the tests' node ids, which pytest 9 no
longer allows; the scheduler below groups by module instead, from the module's source.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

REDIS_DATABASES = 16  # Redis' default `databases`


def worker_index() -> int:
    """0 for gw0 and for a run without xdist, N for gwN."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") else 0


def redis_url_of_worker(url: str, index: int) -> str:
    """REDIS_URL's database for gw0, two further for each next worker (the production test of a worker
    takes the database after its own: tests/production)."""
    parts = urlsplit(url)
    database = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(database + 2 * index) % REDIS_DATABASES}"))


def pytest_configure(config: pytest.Config) -> None:
    index = worker_index()
    if index == 0 or not settings.REDIS_URL:
        return
    from tests.workers import use_broker

    url = redis_url_of_worker(settings.REDIS_URL, index)
    settings.REDIS_URL = settings.CELERY_BROKER_URL = url
    os.environ["REDIS_URL"] = url  # for the subprocesses that inherit the environment
    use_broker(url)


# A fixture shared by a module's (or a class's) tests, or a test asking for a group of its own.
SHARED = re.compile(r"""scope\s*=\s*["'](?:module|class|package)["']|xdist_group""")


@functools.cache
def _shares_fixtures(path: Path) -> bool:
    try:
        return bool(SHARED.search(path.read_text(encoding="utf-8")))
    except OSError:
        return False


class ModuleGroupScheduling(LoadScopeScheduling):  # type: ignore[misc]
    """One test per work unit, but a module that shares fixtures is one unit (xdist sends larger units first)."""

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        self.root = config.rootpath

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if _shares_fixtures(self.root / module) else nodeid


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> LoadScopeScheduling | None:
    return ModuleGroupScheduling(config, log) if config.getvalue("dist") == "loadgroup" else None
