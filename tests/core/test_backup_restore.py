"""`make backup` and `make restore FILE=...` (core/backup.py): a database and its files, there and back.

The source is the test database with the demo, an evidence file uploaded through the edit page and an
issued PDF, all committed; the archive is restored into a database created for the test and into another
storage (a folder, or a bucket of a real S3-compatible server), and the two sides are compared table by
table and file by file.  The refusals (no pg_dump, not an archive, a damaged one, a database in use)
change nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from agreements.models import Agreement
from core import backup
from reporting.documents.kinds import PartyReportDocument
from reporting.models import Evidence, OfficialDocument
from tests.support import ROOT, issue_now, la_report_of, periods_of, png_bytes, post_with_file
from tests.workers import database_url

# The tables whose every row is compared; every other table is compared by its row count.
KEY_TABLES = [
    "django_migrations",
    "auth_user",
    "agreements_administrativeunit",
    "agreements_body",
    "agreements_membership",
    "agreements_agreement",
    "agreements_party",
    "agreements_commitment",
    "reporting_reportingperiod",
    "reporting_progressreport",
    "reporting_progressentry",
    "reporting_evidence",
    "reporting_officialdocument",
    "core_auditentry",
]
FILE_COLUMNS = [
    ("reporting_evidence", "file"),
    ("reporting_officialdocument", "file"),
    ("agreements_agreement", "signed_document"),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- databases outside pytest-django's ---------------------------------------------------------


def connect(dbname: str) -> Any:
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=dbname,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
    )


def query(dbname: str, sql: str) -> list[tuple[Any, ...]]:
    conn = connect(dbname)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return list(cursor.fetchall())
    finally:
        conn.close()


def execute(dbname: str, sql: str) -> None:
    conn = connect(dbname)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """A new, empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    execute("postgres", f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield name
    finally:
        execute("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url_of(dbname: str) -> str:
    return database_url().rsplit("/", 1)[0] + f"/{dbname}"


# --- where the files live: a folder or a bucket ------------------------------------------------


@dataclass
class Side:
    env: dict[str, str]  # what points a manage.py process at this storage
    read: Callable[[str], bytes | None]  # a stored file's bytes, None if absent
    remove: Callable[[str], None]


def folder_side(folder: Path) -> Side:
    def read(name: str) -> bytes | None:
        path = folder / name
        return path.read_bytes() if path.is_file() else None

    return Side({"MEDIA_ROOT": str(folder)}, read, lambda name: (folder / name).unlink())


def bucket_side(server: Any, bucket: str, scratch: Path) -> Side:
    def read(name: str) -> bytes | None:
        return server.read(bucket, name) if name in server.keys(bucket) else None

    def remove(name: str) -> None:
        server.client().delete_object(Bucket=bucket, Key=name)

    # MEDIA_ROOT too, in a folder of its own, to show that nothing lands there.
    return Side({**server.env(bucket), "MEDIA_ROOT": str(scratch)}, read, remove)


@pytest.fixture(params=["folder", "s3"])
def sides(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> tuple[Side, Side]:
    """(source, target): the storage the test process writes to, and the one the restore writes to."""
    if request.param == "folder":
        settings.MEDIA_ROOT = str(tmp_path / "source-media")
        return folder_side(tmp_path / "source-media"), folder_side(tmp_path / "restored-media")
    server = request.getfixturevalue("s3_server")
    source = request.getfixturevalue("s3_bucket")  # the test process's default storage, from here on
    return bucket_side(server, source, tmp_path / "unused-1"), bucket_side(
        server, server.new_bucket(), tmp_path / "unused-2"
    )


def make(target: str, dbname: str, side: Side, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """`make backup` / `make restore` as an operator runs it, against `dbname` and `side`'s storage."""
    environment = os.environ | {
        "DEBUG": "true",
        "DATABASE_URL": url_of(dbname),
        "COOPPORTAL_VAR_DIR": str(tmp_path / "var"),
        "REDIS_URL": settings.REDIS_URL,
        **side.env,
    }
    return subprocess.run(
        ["make", "--no-print-directory", target, *(f"{k}={v}" for k, v in variables.items())],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


# --- the round trip ----------------------------------------------------------------------------


def rows(dbname: str, table: str) -> list[tuple[Any, ...]]:
    return query(dbname, f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608


def row_counts(dbname: str) -> dict[str, int]:
    tables = [t for (t,) in query(dbname, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {table: query(dbname, f'SELECT count(*) FROM "{table}"')[0][0] for table in sorted(tables)}  # noqa: S608


def schema_objects(dbname: str) -> dict[str, list[tuple[Any, ...]]]:
    """Constraints, indexes and triggers by name: the rules of the data come back with it."""
    return {
        "constraints": query(dbname, "SELECT conrelid::regclass::text, conname FROM pg_constraint ORDER BY 1, 2"),
        "indexes": query(
            dbname, "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2"
        ),
        "triggers": query(dbname, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1"),
    }


def stored_names(dbname: str) -> list[str]:
    return sorted(
        name
        for table, column in FILE_COLUMNS
        for (name,) in query(dbname, f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\'')  # noqa: S608
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_and_its_files_come_back_exactly(
    users: dict[str, Any], client: Any, sides: tuple[Side, Side], scratch_database: str, tmp_path: Path
) -> None:
    source, target = sides
    # What people leave behind: evidence uploaded through the edit page, an issued (stored) PDF.
    report = la_report_of(periods_of(2026)[1])
    client.force_login(users["la.staff"])
    scan = png_bytes()
    response, _entry = post_with_file(client, report, SimpleUploadedFile("biên bản họp.png", scan))
    assert response.status_code == 302
    approved = la_report_of(periods_of(2026)[0])  # approved in the demo
    issued = issue_now(users, "la.leader", PartyReportDocument(approved))
    assert issued.file and issued.state == OfficialDocument.State.READY
    evidence = Evidence.objects.get()
    assert source.read(str(evidence.file.name)) == scan

    made = make("backup", connection.settings_dict["NAME"], source, tmp_path, DIR=str(tmp_path / "backups"))
    assert made.returncode == 0, made.stdout + made.stderr
    archive = Path(made.stdout.strip().splitlines()[-1])
    assert archive.parent == tmp_path / "backups" and archive.stat().st_mode & 0o077 == 0  # the owner's only
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert {f["name"] for f in manifest["files"]} == {evidence.file.name, issued.file.name}
    assert manifest["tables"]["reporting_evidence"] == 1

    restored = make("restore", scratch_database, target, tmp_path, FILE=str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Đã phục hồi" in restored.stdout

    source_db = connection.settings_dict["NAME"]
    for table in KEY_TABLES:
        assert rows(scratch_database, table) == rows(source_db, table), table
    assert row_counts(scratch_database) == row_counts(source_db) == manifest["tables"]
    assert schema_objects(scratch_database) == schema_objects(source_db)
    names = stored_names(scratch_database)
    assert evidence.file.name in names and issued.file.name in names
    for name in names:
        there, back = source.read(name), target.read(name)
        assert there is not None and back is not None and sha256(back) == sha256(there), name

    # A database that has tables is not overwritten unless asked; then it is, files included.
    again = make("restore", scratch_database, target, tmp_path, FILE=str(archive))
    assert again.returncode != 0 and "đã có dữ liệu" in again.stderr and "--force" in again.stderr
    execute(scratch_database, "UPDATE agreements_agreement SET notes = 'sửa sau khi phục hồi'")
    target.remove(str(evidence.file.name))
    forced = make("restore", scratch_database, target, tmp_path, FILE=str(archive), FORCE="1")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert rows(scratch_database, "agreements_agreement") == rows(source_db, "agreements_agreement")
    assert target.read(str(evidence.file.name)) == scan


# --- refusals ----------------------------------------------------------------------------------


def hand_made_archive(path: Path, files: dict[str, bytes], *, damage: str | None = None, **manifest: Any) -> Path:
    """An archive as `backup` writes one (its dump a stand-in); `damage` changes a file after it was hashed."""
    dump = b"PGDMP stand-in"
    content = {
        "format": backup.FORMAT,
        "version": backup.VERSION,
        "created_at": "2026-11-22T10:00:00+07:00",
        "database": "coopportal",
        "tables": {},
        "dump": {"path": backup.DUMP, "sha256": sha256(dump), "size": len(dump)},
        "files": [
            {
                "name": n,
                "field": "reporting.evidence.file",
                "path": backup.FILES + n,
                "sha256": sha256(d),
                "size": len(d),
            }
            for n, d in files.items()
        ],
        "missing_files": [],
        **manifest,
    }
    members = {backup.DUMP: dump, **{backup.FILES + n: d for n, d in files.items()}}
    if damage is not None:
        members[backup.FILES + damage] = members[backup.FILES + damage][::-1]
    members[backup.MANIFEST] = json.dumps(content).encode()
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def restore(path: Path, *args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), *args)
    return str(refused.value)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.mark.django_db
def test_backup_without_pg_dump_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(CommandError) as refused:
        call_command("backup", dir=str(tmp_path / "backups"))
    assert "Không tìm thấy chương trình pg_dump" in str(refused.value) and "postgresql-client" in str(refused.value)
    assert not (tmp_path / "backups").exists()


@pytest.mark.django_db
def test_restore_without_pg_restore_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    archive = hand_made_archive(tmp_path / "a.tar", {})
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert "Không tìm thấy chương trình pg_restore" in restore(archive)


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup(tmp_path: Path, media: Path) -> None:
    assert "Không có tệp sao lưu" in restore(tmp_path / "missing.tar")
    junk = tmp_path / "junk.tar"
    junk.write_bytes(os.urandom(4096))
    assert "không phải tệp sao lưu CoopPortal" in restore(junk)
    no_manifest = tmp_path / "no-manifest.tar"
    with tarfile.open(no_manifest, "w") as tar:
        tar.add(__file__, arcname="database.dump")
    assert "thiếu manifest.json" in restore(no_manifest)
    other = hand_made_archive(tmp_path / "other.tar", {}, format="something-else")
    assert "manifest.json thiếu hoặc sai" in restore(other)
    newer = hand_made_archive(tmp_path / "newer.tar", {}, version=99)
    assert "phiên bản 99" in restore(newer)
    assert not media.exists()


@pytest.mark.django_db
def test_restore_refuses_a_damaged_archive_and_changes_nothing(tmp_path: Path, media: Path) -> None:
    agreements = Agreement.objects.count()
    archive = hand_made_archive(
        tmp_path / "damaged.tar", {"evidence/a.png": png_bytes(), "evidence/b.png": b"xyz"}, damage="evidence/b.png"
    )
    message = restore(archive, "--force")
    assert "bị hỏng" in message and "files/evidence/b.png" in message and "SHA-256" in message
    assert Agreement.objects.count() == agreements
    assert not media.exists()


@pytest.mark.django_db
def test_restore_refuses_a_database_that_has_tables(tmp_path: Path, media: Path) -> None:
    archive = hand_made_archive(tmp_path / "fine.tar", {"evidence/a.png": png_bytes()})
    message = restore(archive)
    assert f"“{connection.settings_dict['NAME']}” đã có dữ liệu" in message and "FORCE=1" in message
    assert not media.exists()


def test_restore_refuses_to_overwrite_a_different_stored_file(scratch_database: str, tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "a.png").write_bytes(b"another file")
    archive = hand_made_archive(tmp_path / "fine.tar", {"evidence/a.png": png_bytes()})
    refused = make("restore", scratch_database, folder_side(media), tmp_path, FILE=str(archive))
    assert refused.returncode != 0 and "đã có tệp “evidence/a.png” khác" in refused.stderr
    assert (media / "evidence" / "a.png").read_bytes() == b"another file"
    assert row_counts(scratch_database) == {}


def test_backup_refuses_sqlite(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "backup", "--dir", str(tmp_path)],
        cwd=ROOT,
        env=os.environ
        | {
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "COOPPORTAL_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "chỉ dùng được với PostgreSQL" in result.stderr
