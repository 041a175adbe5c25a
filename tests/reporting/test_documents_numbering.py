"""Document numbers: "Số: 05/BC-SCT", counted per issuing body and calendar year, never given twice."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from agreements.models import Body
from reporting.documents.numbering import claim_number, format_number
from reporting.models import DocumentNumberCounter
from tests.support import ensure_demo


def body(name: str = "Sở Công Thương tỉnh Long An") -> Body:
    return Body.objects.get(name=name, valid_to__isnull=False)


@pytest.mark.django_db
def test_format_has_a_leading_zero_under_ten_and_a_blank_for_drafts(demo: None) -> None:
    sct = body()
    assert format_number(5, sct) == "05/BC-SCT"
    assert format_number(10, sct) == "10/BC-SCT"
    assert format_number(123, sct) == "123/BC-SCT"
    assert format_number(None, sct) == "\u00a0" * 6 + "/BC-SCT"
    assert format_number(1, Body(name="Sở Kế hoạch và Đầu tư", abbreviation="")) == "01/BC-SKHVĐT"


@pytest.mark.django_db
def test_numbers_count_per_body_and_restart_each_year(demo: None) -> None:
    la, tn = body(), body("Sở Công Thương tỉnh Tây Ninh")
    with transaction.atomic():
        assert [claim_number(la, 2026) for _ in range(3)] == [1, 2, 3]
        assert claim_number(tn, 2026) == 1
        assert claim_number(la, 2027) == 1  # 1 January: back to 01
        assert claim_number(la, 2026) == 4
    assert DocumentNumberCounter.objects.get(body=la, year=2026).last_number == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_never_share_a_number(demo: None) -> None:
    """Four threads, each its own database connection, claim 15 numbers each at the same time."""
    sct = body()
    start = threading.Barrier(4)
    claimed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            start.wait()
            for _ in range(15):
                with transaction.atomic():
                    number = claim_number(sct, 2030)
                with lock:
                    claimed.append(number)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(claimed) == list(range(1, 61))
    assert DocumentNumberCounter.objects.get(body=sct, year=2030).last_number == 60


def test_claims_belong_to_the_documents_transaction(django_db_blocker: Any, django_db_setup: Any) -> None:
    """A number is claimed only in the transaction that saves its document; a failed render gives it back."""
    with django_db_blocker.unblock(), pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        claim_number(Body(pk=1, name="Sở Công Thương"), 2040)  # refused before it touches the database
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo()
        sct = body()
        with transaction.atomic():
            assert claim_number(sct, 2040) == 1
        try:
            with transaction.atomic():
                assert claim_number(sct, 2040) == 2
                raise RuntimeError("render failed")
        except RuntimeError:
            pass
        with transaction.atomic():
            assert claim_number(sct, 2040) == 2
        transaction.set_rollback(True)
    connection.close()  # opened outside pytest-django's db fixture: do not leave it to the teardown
