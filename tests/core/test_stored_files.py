"""core.uploads.atomic_with_files / store_file: a stored file lives exactly as long as the transaction that
records it commits (issue 12, point 7: no orphan evidence files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from core.uploads import atomic_with_files, store_file
from reporting.models import Evidence

pytestmark = pytest.mark.django_db


def on_disk(media: Path) -> list[str]:
    return sorted(p.name for p in media.rglob("*") if p.is_file()) if media.exists() else []


def store(name: str) -> Evidence:
    evidence = Evidence(content_type="image/png")  # its upload_to needs only the type
    store_file(evidence.file, ContentFile(b"\x89PNG", name=name))
    return evidence


def test_a_committed_block_keeps_its_file(media):
    with atomic_with_files():
        kept = store("a.png")
    assert on_disk(media) == [Path(kept.file.name or "").name]


def test_a_block_that_raises_removes_its_file(media):
    with pytest.raises(ZeroDivisionError), atomic_with_files():
        store("a.png")
        assert len(on_disk(media)) == 1
        _ = 1 / 0
    assert on_disk(media) == []


def test_a_block_marked_for_rollback_removes_its_file(media):
    with atomic_with_files():
        store("a.png")
        transaction.set_rollback(True)
    assert on_disk(media) == []


def test_an_inner_block_that_committed_goes_with_the_outer_rollback(media):
    with pytest.raises(RuntimeError), atomic_with_files():
        with atomic_with_files():
            store("inner.png")
        raise RuntimeError("refused further on")
    assert on_disk(media) == []


def test_an_inner_failure_caught_outside_removes_only_the_inner_file(media):
    with atomic_with_files():
        outer = store("outer.png")
        with pytest.raises(ValueError), atomic_with_files():
            store("inner.png")
            raise ValueError
    assert on_disk(media) == [Path(outer.file.name or "").name]


def test_storing_outside_a_block_is_a_programming_error(media):
    with pytest.raises(RuntimeError, match="outside atomic_with_files"):
        store("a.png")
    assert on_disk(media) == []
