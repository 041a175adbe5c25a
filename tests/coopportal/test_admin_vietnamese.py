"""The admin in the Vietnamese UI is Vietnamese: Django's own strings too, not only the project's.

Django's Vietnamese catalogue dates from 2021 and lacks the strings added since ("Please correct the
errors below." became a plural, the theme switch, auth's password toggles); django-axes and
django-celery-beat ship no Vietnamese. locale/vi/LC_MESSAGES holds what they lack. These tests ask
Django's translation machinery itself, so a Django or app upgrade that adds a string fails here with
the string named (its header says how to add it).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from tests.support import ROOT, switch_language

DJANGO = Path(django.__file__).resolve().parent
# The Django catalogues the app installs (settings.INSTALLED_APPS), by domain.
DJANGO_CATALOGUES = [
    (DJANGO / "conf", "django"),
    (DJANGO / "contrib" / "admin", "django"),
    (DJANGO / "contrib" / "auth", "django"),
    (DJANGO / "contrib" / "contenttypes", "django"),
    (DJANGO / "contrib" / "sessions", "django"),
]
ADMIN_JS = (DJANGO / "contrib" / "admin", "djangojs")
# The admin's other apps: no catalogue of their own in Vietnamese (nor in English: their msgids are read
# from their code, as makemessages does).
THIRD_PARTY = ("axes", "django_celery_beat")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def read_msgids(po: Path) -> list[tuple[str | None, str, str | None]]:
    """(msgctxt, msgid, msgid_plural) of each entry of a .po file, header left out."""
    entries = []
    for block in re.split(r"\n\s*\n", po.read_text(encoding="utf-8")):
        fields: dict[str, str] = {}
        last = None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                last = match.group(1)
                fields[last] = ""
                line = match.group(2)
            elif not line.startswith('"') or last is None:
                continue
            fields[last] += re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), line[1:-1])
        if fields.get("msgid"):
            entries.append((fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural")))
    return entries


def untranslated(catalog: object, entries: list[tuple[str | None, str, str | None]]) -> list[str]:
    """The entries the merged catalogue has no Vietnamese for (the key GNU gettext would look up)."""
    missing = []
    for context, msgid, plural in entries:
        key = f"{context}\x04{msgid}" if context else msgid
        found = catalog.get((key, 0)) if plural else catalog.get(key)
        if not found:
            missing.append(msgid)
    return missing


def test_every_string_of_djangos_admin_and_auth_has_vietnamese():
    catalog = trans_real.translation("vi")._catalog
    entries = [
        e for path, domain in DJANGO_CATALOGUES for e in read_msgids(path / f"locale/en/LC_MESSAGES/{domain}.po")
    ]
    assert len(entries) > 600
    assert untranslated(catalog, entries) == []


def test_every_string_of_the_admins_scripts_has_vietnamese():
    # What the admin's /jsi18n/ view loads: the admin's own catalogue, then the project's (LOCALE_PATHS).
    path, domain = ADMIN_JS
    catalog = trans_real.DjangoTranslation("vi", domain=domain, localedirs=[str(path / "locale")])._catalog
    entries = read_msgids(path / f"locale/en/LC_MESSAGES/{domain}.po")
    assert untranslated(catalog, entries) == []
    assert catalog.get("Sunday") == "Chủ nhật"


def test_every_string_of_axes_and_celery_beat_has_vietnamese(tmp_path):
    """Their msgids read from their code by the real makemessages, on a copy of each package."""
    if not shutil.which("xgettext"):
        pytest.fail("xgettext (GNU gettext) is needed: run `bin/system-deps test`")
    catalog = trans_real.translation("vi")._catalog
    for name in THIRD_PARTY:
        copy = tmp_path / name
        shutil.copytree(apps.get_app_config(name).path, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
        (copy / "locale").mkdir()
        result = subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-location"],
            cwd=copy,
            env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        entries = read_msgids(copy / "locale/vi/LC_MESSAGES/django.po")
        assert len(entries) > 20, name
        assert untranslated(catalog, entries) == [], name


@pytest.mark.django_db
def test_an_admin_form_with_errors_speaks_the_users_language(client, users):
    client.force_login(users["admin"])
    url = reverse("admin:agreements_agreement_add")
    page = client.post(url, {}).content.decode()
    assert "Hãy sửa các lỗi dưới đây." in page
    assert "Please correct" not in page
    assert "Trường này là bắt buộc." in page  # Django's own form message, from its 2021 catalogue

    switch_language(client, "en")
    page = client.post(url, {}).content.decode()
    assert "Please correct the errors below." in page and "This field is required." in page
    assert "Hãy sửa" not in page


@pytest.mark.django_db
def test_the_periodic_tasks_and_login_attempts_are_vietnamese(client, users):
    client.force_login(users["admin"])
    index = client.get(reverse("admin:index")).content.decode()
    assert "Tác vụ định kỳ" in index and "Periodic tasks" not in index
    assert "các lần đăng nhập" in index.lower() and "Access attempts" not in index
    with translation.override("vi"):
        assert str(apps.get_model("django_celery_beat", "PeriodicTask")._meta.verbose_name_plural) == "tác vụ định kỳ"


def test_the_committed_catalogues_are_compiled(tmp_path):
    """The .mo files beside the .po files are what msgfmt makes of them (the app reads only the .mo)."""
    import gettext

    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (GNU gettext) is needed: run `bin/system-deps test`"
    for name in ("django", "djangojs"):
        po = ROOT / "locale/vi/LC_MESSAGES" / f"{name}.po"
        fresh = tmp_path / f"{name}.mo"
        subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po)], check=True, capture_output=True)
        with fresh.open("rb") as new, po.with_suffix(".mo").open("rb") as committed:
            assert gettext.GNUTranslations(new)._catalog == gettext.GNUTranslations(committed)._catalog, name
