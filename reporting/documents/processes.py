"""Which process renders a document, whether it still lives, and the scratch folders renders leave behind.

A render claims its row in the name of its process (`claim_owner()`: host, pid, the process's
start time, and a nonce for this one claim).  On the same host another process can then tell for
certain that the owner is gone (`owner_is_dead`): no such pid, or a pid reused by a younger process
(the start time differs; a worker container restarted under the same hostname gets pid 1 again).
On another host nothing can be told, and the claim's lease decides (reporting.documents.rendering).

Renders that need files on disk (the appendix laid out in a second process, reporting.documents.pdf)
make them in `scratch_folder()`: a folder under settings.DOCUMENTS_SCRATCH_DIR/<host>/ named after the
process.  A render killed mid-way (SIGKILL, out of memory) never runs its `finally`, so
`clean_scratch()` (at every claim, every sweep, every worker start) removes the folders of dead
processes of this host, and those of other hosts (sharing the folder) once they are older than the
longest render.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def _hostname() -> str:
    return socket.gethostname() or "localhost"


def _start_time(pid: int) -> str | None:
    """When the process started (clock ticks since boot, /proc/<pid>/stat field 22); None if there is no such process.

    "" where /proc does not exist (not Linux): then only the pid is compared.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        if not Path("/proc/self/stat").exists():
            return "" if _pid_exists(pid) else None
        return None
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: count fields after its ")".
    fields = stat[stat.rindex(")") + 2 :].split()
    if fields[0] in ("Z", "X"):
        return None  # killed, only waiting for its parent to reap it
    return fields[19]


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def this_process() -> str:
    """host/pid/start of the calling process."""
    pid = os.getpid()
    return f"{_hostname()}/{pid}/{_start_time(pid) or ''}"


def claim_owner() -> str:
    """What a claim records: this process and a nonce, so that two claims of one process never look alike."""
    return f"{this_process()}/{uuid.uuid4().hex[:8]}"


def owner_is_dead(owner: str) -> bool:
    """True only when certain: the owner ran on this host and its process is gone (or its pid was reused)."""
    parts = owner.split("/")
    if len(parts) < 3 or parts[0] != _hostname() or not parts[1].isdigit():
        return False
    started = _start_time(int(parts[1]))
    return started is None or (bool(parts[2]) and bool(started) and started != parts[2])


# --- scratch folders ---------------------------------------------------------------------------


def scratch_root() -> Path:
    return Path(settings.DOCUMENTS_SCRATCH_DIR)


def longest_render_seconds() -> int:
    """A folder older than this belongs to no live render, whatever host made it (the longest claim, plus margin)."""
    return 2 * int(settings.DOCUMENTS_RENDER_TIMEOUT)


def new_scratch_folder(prefix: str) -> Path:
    """A private folder for one render, named after this process; whoever makes it removes it (or clean_scratch())."""
    pid = os.getpid()
    parent = scratch_root() / _hostname()
    parent.mkdir(parents=True, exist_ok=True)
    folder = parent / f"{prefix}-{pid}-{_start_time(pid) or 0}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700)
    return folder


@contextlib.contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """new_scratch_folder(), removed on the way out; a killed process leaves it to clean_scratch()."""
    folder = new_scratch_folder(prefix)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _folder_owner_is_dead(name: str) -> bool:
    parts = name.rsplit("-", 3)
    if len(parts) != 4 or not parts[1].isdigit():
        return False
    return owner_is_dead(f"{_hostname()}/{parts[1]}/{'' if parts[2] == '0' else parts[2]}")


def clean_scratch() -> int:
    """Remove the scratch folders no live render owns; returns how many.  Cheap: one listing per host folder.

    Ages are file times, so they are measured on the real clock, not core.clock (frozen in tests).
    """
    root = scratch_root()
    if not root.is_dir():
        return 0
    # On this host a folder's process is checked for certain; another host's is judged by age alone.
    too_old = time.time() - longest_render_seconds()
    removed = 0
    for host in root.iterdir():
        if not host.is_dir():
            continue
        ours = host.name == _hostname()
        for folder in host.iterdir():
            if ours:
                stale = _folder_owner_is_dead(folder.name)
            else:
                try:
                    stale = folder.stat().st_mtime < too_old
                except FileNotFoundError:
                    continue  # its render finished meanwhile
            if stale:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
    if removed:
        logger.info("Removed %d scratch folders of renders that died", removed)
    return removed
