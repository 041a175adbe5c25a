"""Backups of a whole installation: one tar archive with the database and every stored file it names.

    database.dump   `pg_dump --format=custom` of DATABASE_URL
    files/<name>    each file a FileField names (evidence, signed agreements, stored PDFs), read through
                    the storage API: the local folder and an S3 bucket alike
    manifest.json   the SHA-256 and size of every member, and the row count of every table

The dump, the row counts and the list of files are read in one snapshot (REPEATABLE READ, exported
to pg_dump), so they agree even while people work.  A restore checks every member against the manifest
before it changes anything, refuses a database that already has tables unless forced, restores in one
transaction, compares the row counts, then writes the files back through the storage API and reads
each one back.  `python manage.py backup` / `restore` (`make backup`, `make restore FILE=...`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.errors import DomainError

FORMAT = "coopportal-backup"
VERSION = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files/"
CHUNK = 1024 * 1024
SPOOL = 8 * 1024 * 1024  # a stored file larger than this passes through a temporary file, not memory


class BackupError(DomainError):
    """A backup or a restore could not be made; the message says why, for the operator."""


@dataclass
class Outcome:
    """What a backup wrote or a restore brought back."""

    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    missing: list[str] = field(default_factory=list)  # named by the database, absent from the storage


def _bad_archive(path: Path | str, why: str) -> BackupError:
    return BackupError(
        _("Tệp “%(path)s” không phải tệp sao lưu CoopPortal dùng được (%(why)s). Không có gì được thay đổi.")
        % {"path": path, "why": why}
    )


# --- PostgreSQL and its tools -------------------------------------------------------------------


def _database() -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise BackupError(
            _(
                "Sao lưu và phục hồi chỉ dùng được với PostgreSQL: hãy đặt DATABASE_URL trỏ tới cơ sở dữ liệu "
                "PostgreSQL (cơ sở dữ liệu SQLite của `make run` là một tệp trong var/, sao chép tệp đó là đủ)."
            )
        )
    return connection.settings_dict


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "Không tìm thấy chương trình %(tool)s trên máy này. Hãy cài gói postgresql-client cùng phiên bản "
                "với máy chủ PostgreSQL (Debian: apt-get install postgresql-client), rồi chạy lại."
            )
            % {"tool": name}
        )
    return found


def _pg_environment(db: dict[str, Any]) -> dict[str, str]:
    """The connection Django uses, for libpq's tools: in the environment, so no password is on a command line."""
    environment = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            environment[variable] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return environment


def _run(command: list[str], db: dict[str, Any]) -> None:
    result = subprocess.run(command, env=_pg_environment(db), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s dừng với lỗi (mã %(code)d): %(error)s")
            % {"tool": Path(command[0]).name, "code": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


def _row_counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # a table name of ours
            counts[table] = int(cursor.fetchone()[0])
    return counts


# --- the stored files ---------------------------------------------------------------------------


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, model_field)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        for model_field in model._meta.local_concrete_fields
        if isinstance(model_field, models.FileField)
    ]


def _stored_names() -> dict[str, str]:
    """Every file name the database holds, with the field that holds it ("reporting.evidence.file")."""
    names: dict[str, str] = {}
    for model, model_field in _file_fields():
        label = f"{model._meta.label_lower}.{model_field.name}"
        held = (
            model._base_manager.exclude(**{model_field.name: ""})
            .exclude(**{f"{model_field.name}__isnull": True})
            .values_list(model_field.name, flat=True)
        )
        for name in held:
            names.setdefault(str(name), label)
    return names


def _storage_of(label: str) -> Storage:
    """The storage of the field a file was found in; the default one if that field is gone."""
    try:
        app_label, model_name, field_name = label.split(".")
        model_field = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    except (ValueError, LookupError, FieldDoesNotExist):
        return default_storage
    return model_field.storage if isinstance(model_field, models.FileField) else default_storage


def _copy(source: IO[bytes], target: IO[bytes] | None = None) -> tuple[str, int]:
    """SHA-256 and size of what `source` holds, copied to `target` on the way."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest(), size


# --- backup -------------------------------------------------------------------------------------


def _dump_in_snapshot(dump: Path, db: dict[str, Any]) -> tuple[dict[str, int], dict[str, str]]:
    """pg_dump, the row counts and the file names, all from one snapshot of the database."""
    if connection.in_atomic_block:
        raise RuntimeError("A backup opens its own transaction: call it outside transaction.atomic().")
    pg_dump = _tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={dump}",
                f"--dbname={db['NAME']}",
            ],
            db,
        )
        return _row_counts(), _stored_names()


def _add(archive: tarfile.TarFile, path: str, source: IO[bytes]) -> dict[str, Any]:
    """Add one member, read once (hashed on the way); its manifest entry."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
        sha256, size = _copy(source, spool)
        spool.seek(0)
        info = tarfile.TarInfo(path)
        info.size = size
        info.mode = 0o600
        info.mtime = int(clock.now().timestamp())
        archive.addfile(info, spool)
    return {"path": path, "sha256": sha256, "size": size}


def create_backup(folder: Path) -> Outcome:
    """Write one archive into `folder` (created if needed, the archive readable by its owner only)."""
    db = _database()
    _tool("pg_dump")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"coopportal-{db['NAME']}-{stamp}.tar"
    if target.exists():
        raise BackupError(_("Đã có tệp sao lưu %(path)s; hãy chạy lại sau một giây.") % {"path": target})
    with tempfile.TemporaryDirectory(prefix="coopportal-backup-") as scratch:
        dump = Path(scratch) / DUMP
        counts, names = _dump_in_snapshot(dump, db)
        handle, partial = tempfile.mkstemp(dir=folder, prefix=".partial-", suffix=".tar")  # mode 0600
        outcome = Outcome(path=target, tables=len(counts), rows=sum(counts.values()))
        try:
            with os.fdopen(handle, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
                with dump.open("rb") as source:
                    dump_entry = _add(tar, DUMP, source)
                files: list[dict[str, Any]] = []
                for name, label in sorted(names.items()):
                    try:
                        stored = _storage_of(label).open(name, "rb")
                    except FileNotFoundError:
                        outcome.missing.append(name)
                        continue
                    with stored:
                        files.append({"name": name, "field": label, **_add(tar, FILES + name, stored)})
                manifest = {
                    "format": FORMAT,
                    "version": VERSION,
                    "created_at": clock.now().isoformat(),
                    "database": db["NAME"],
                    "tables": counts,
                    "dump": dump_entry,
                    "files": files,
                    "missing_files": outcome.missing,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                with tempfile.SpooledTemporaryFile() as manifest_file:
                    manifest_file.write(data)
                    manifest_file.seek(0)
                    _add(tar, MANIFEST, manifest_file)
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    outcome.files = len(files)
    return outcome


# --- restore ------------------------------------------------------------------------------------


def _open_archive(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(_("Không có tệp sao lưu “%(path)s”.") % {"path": path})
    try:
        return tarfile.open(path, mode="r:")
    except (tarfile.TarError, OSError):
        raise _bad_archive(path, _("không đọc được như một tệp tar")) from None


def _member(archive: tarfile.TarFile, path: Path, entry: dict[str, Any]) -> IO[bytes]:
    try:
        info = archive.getmember(str(entry["path"]))
    except KeyError:
        raise _bad_archive(path, _("thiếu %(member)s") % {"member": entry["path"]}) from None
    source = archive.extractfile(info) if info.isfile() else None
    if source is None:
        raise _bad_archive(path, _("%(member)s không phải một tệp") % {"member": entry["path"]})
    return source


def _entry_ok(entry: Any, *keys: str) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and isinstance(entry.get("sha256"), str)
        and isinstance(entry.get("size"), int)
        and all(isinstance(entry.get(key), str) for key in keys)
    )


def _read_manifest(archive: tarfile.TarFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(_member(archive, path, {"path": MANIFEST}).read())
    except (ValueError, tarfile.TarError, EOFError, OSError):
        manifest = None
    well_formed = (
        isinstance(manifest, dict)
        and manifest.get("format") == FORMAT
        and isinstance(manifest.get("tables"), dict)
        and all(isinstance(rows, int) for rows in manifest["tables"].values())
        and _entry_ok(manifest.get("dump"))
        and isinstance(manifest.get("files"), list)
        and all(_entry_ok(entry, "name") for entry in manifest["files"])
    )
    if not well_formed:
        raise _bad_archive(path, _("manifest.json thiếu hoặc sai"))
    assert isinstance(manifest, dict)
    if manifest.get("version") != VERSION:
        raise _bad_archive(
            path,
            _("định dạng phiên bản %(version)s, cần phiên bản %(wanted)s")
            % {"version": manifest.get("version"), "wanted": VERSION},
        )
    return manifest


def _verify(archive: tarfile.TarFile, path: Path, entry: dict[str, Any], target: IO[bytes] | None = None) -> None:
    try:
        sha256, size = _copy(_member(archive, path, entry), target)
    except (tarfile.TarError, EOFError, OSError):
        raise _bad_archive(path, _("đọc %(member)s bị lỗi, tệp bị cắt cụt?") % {"member": entry["path"]}) from None
    if sha256 != entry["sha256"] or size != entry["size"]:
        raise BackupError(
            _(
                "Tệp sao lưu “%(path)s” bị hỏng: %(member)s không khớp mã kiểm tra SHA-256 ghi trong manifest.json. "
                "Không có gì được thay đổi; hãy dùng một bản sao lưu khác."
            )
            % {"path": path, "member": entry["path"]}
        )


def _stored_sha256(storage: Storage, name: str) -> str | None:
    try:
        with storage.open(name, "rb") as stored:
            return _copy(stored)[0]
    except FileNotFoundError:
        return None


def restore_backup(path: Path, *, force: bool = False) -> Outcome:
    """Bring a database and its files back from an archive into DATABASE_URL and the configured storage."""
    db = _database()
    pg_restore = _tool("pg_restore")
    with _open_archive(path) as archive, tempfile.TemporaryDirectory(prefix="coopportal-restore-") as scratch:
        manifest = _read_manifest(archive, path)
        # Everything is checked before anything changes.
        dump = Path(scratch) / DUMP
        with dump.open("wb") as target:
            _verify(archive, path, manifest["dump"], target)
        for entry in manifest["files"]:
            _verify(archive, path, entry)
        tables = connection.introspection.table_names()
        if tables and not force:
            raise BackupError(
                _(
                    "Cơ sở dữ liệu đích “%(name)s” đã có dữ liệu (%(count)d bảng); phục hồi sẽ ghi đè lên đó. "
                    "Hãy phục hồi vào một cơ sở dữ liệu mới tạo, hoặc nếu chắc chắn muốn ghi đè, chạy lại với "
                    "--force (make restore FILE=... FORCE=1)."
                )
                % {"name": db["NAME"], "count": len(tables)}
            )
        to_write = []
        for entry in manifest["files"]:
            storage = _storage_of(str(entry.get("field", "")))
            present = _stored_sha256(storage, entry["name"])
            if present == entry["sha256"]:
                continue
            if present is not None and not force:
                raise BackupError(
                    _(
                        "Kho tệp đích đã có tệp “%(name)s” khác với bản trong tệp sao lưu. Không có gì được thay "
                        "đổi; chạy lại với --force để ghi đè."
                    )
                    % {"name": entry["name"]}
                )
            to_write.append((storage, entry, present is not None))

        connection.close()  # pg_restore drops and recreates every table: hold no connection meanwhile
        _run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                f"--dbname={db['NAME']}",
                str(dump),
            ],
            db,
        )
        counts = _row_counts()
        differing = [
            f"{table} ({counts.get(table, 0)} ≠ {rows})"
            for table, rows in manifest["tables"].items()
            if counts.get(table) != rows
        ]
        if differing:
            raise BackupError(
                _("Cơ sở dữ liệu sau khi phục hồi không khớp với bản sao lưu, số dòng khác ở: %(tables)s.")
                % {"tables": ", ".join(differing)}
            )

        for storage, entry, replace in to_write:
            if replace:
                storage.delete(entry["name"])
            saved = storage.save(entry["name"], File(_member(archive, path, entry), name=entry["name"]))
            if saved != entry["name"] or _stored_sha256(storage, saved) != entry["sha256"]:
                raise BackupError(
                    _("Không ghi lại được tệp “%(name)s” vào kho tệp (đã ghi thành “%(saved)s” hoặc nội dung khác).")
                    % {"name": entry["name"], "saved": saved}
                )
    return Outcome(
        path=path,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=len(manifest["files"]),
        missing=list(manifest.get("missing_files", [])),
    )
