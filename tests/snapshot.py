"""The demo as the session loaded it, kept as PostgreSQL COPY data, to put back after a flush.

A transactional test (a live server, a Celery worker, threads) commits, and pytest-django empties every
table after it; the next test that needs the demo used to load it again through the ORM, seconds of
work each time.  COPY puts the very rows the session loaded back in a fraction of a second.
"""

from __future__ import annotations

import io

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

_tables: list[tuple[str, bytes]] = []

RAISE_SEQUENCES = """
DO $$
DECLARE r record; top bigint;
BEGIN
  FOR r IN
    SELECT s.oid AS seq, format('%I', t.relname) AS tbl, format('%I', a.attname) AS col
    FROM pg_class s
    JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
    WHERE s.relkind = 'S' AND t.relnamespace = current_schema()::regnamespace
  LOOP
    EXECUTE format('SELECT max(%s) FROM %s', r.col, r.tbl) INTO top;
    IF top IS NOT NULL AND top > coalesce(pg_sequence_last_value(r.seq), 0) THEN
      PERFORM setval(r.seq, top);
    END IF;
  END LOOP;
END $$
"""


def take() -> None:
    """Keep every table's rows (django_migrations aside: the flush leaves it alone)."""
    _tables.clear()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'django_migrations' ORDER BY tablename"
        )
        names = [name for (name,) in cursor.fetchall()]
        for name in names:
            buffer = io.BytesIO()
            cursor.copy_expert(f'COPY "{name}" TO STDOUT (FORMAT binary)', buffer)
            _tables.append((name, buffer.getvalue()))


def restore() -> bool:
    """Put the kept rows back, every table emptied first; False when there is nothing kept (then load the demo)."""
    if not _tables:
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Rows go back as they were: neither foreign keys nor the app's triggers (the audit trail's
            # refusals) are checked while they do; RESET below, as the test's own writes must meet them.
            cursor.execute("SET session_replication_role = replica")
            try:
                cursor.execute("TRUNCATE " + ", ".join(f'"{name}"' for name, _data in _tables))
                for name, data in _tables:
                    cursor.copy_expert(f'COPY "{name}" FROM STDIN (FORMAT binary)', io.BytesIO(data))
            finally:
                cursor.execute("RESET session_replication_role")
            # A flush leaves the sequences where they were, above the kept ids, unless a test reset them:
            # then past the largest kept id, never lower (an id is not given twice in a session).
            cursor.execute(RAISE_SEQUENCES)
    except DatabaseError:  # a role that may not set session_replication_role: the slow way
        return False
    finally:
        ContentType.objects.clear_cache()
    return True
