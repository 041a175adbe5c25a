"""The English catalogue: complete, compiled, in step with the code, and switched on by the language button.

The UI is Vietnamese first: every msgid is Vietnamese and locale/en/LC_MESSAGES/django.po holds the
English. The .mo is committed so the app runs without gettext; these tests (which do need gettext's
msgfmt and xgettext, installed by `bin/system-deps test`) keep both files honest. To fix a failure:

    DEBUG=true .venv/bin/python manage.py makemessages -l en --no-obsolete \
        --ignore=.venv --ignore=var --ignore=test-artifacts --ignore=bench
    # translate the new entries, drop any "#, fuzzy", then
    DEBUG=true .venv/bin/python manage.py compilemessages -l en --ignore=.venv
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.support import ROOT

LC_MESSAGES = ROOT / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# The same folders the documented makemessages command leaves out (makemessages skips dot-folders itself).
IGNORED_DIRS = (".venv", "var", "test-artifacts", "bench")
# What makemessages reads for the "django" domain.
SOURCE_SUFFIXES = (".py", ".html", ".txt")

PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


# --- a small reader of .po files (stdlib only) -------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def _unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, last = Entry(), None
        seen = False
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].strip()
            elif line.startswith("#,"):
                entry.flags.update(f.strip() for f in line[2:].split(",") if f.strip())
                continue
            elif line.startswith("#") or not line:
                continue
            keyword, _, rest = line.partition(" ")
            if line.startswith('"'):
                value = _unquote(line)
            else:
                value, last, seen = _unquote(rest.strip()), keyword, True
                if keyword.startswith("msgstr"):
                    index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                    entry.msgstr[index] = ""
            if last == "msgid":
                entry.msgid += value
            elif last == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + value
            elif last == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            elif last and last.startswith("msgstr"):
                index = int(last[7:-1]) if last.startswith("msgstr[") else 0
                entry.msgstr[index] += value
        if seen:
            entries.append(entry)
    return entries


def messages(path: Path) -> list[Entry]:
    """The live messages of a catalogue: no header, no obsolete entries."""
    return [e for e in read_po(path) if not e.obsolete and e.key != (None, "", None)]


def require(tool: str) -> str:
    found = shutil.which(tool)
    assert found, f"{tool} (GNU gettext) is needed for the i18n checks: run `bin/system-deps test`"
    return found


# --- (a) complete -------------------------------------------------------------------------------


def test_po_has_no_untranslated_or_fuzzy_messages():
    entries = read_po(PO)
    header = [e for e in entries if e.key == (None, "", None)]
    assert header and "fuzzy" not in header[0].flags, "the header of django.po is still marked fuzzy"
    assert "Language: en\n" in header[0].msgstr[0]

    live = messages(PO)
    assert len(live) > 100, "the English catalogue looks truncated"
    fuzzy = [e.msgid for e in live if "fuzzy" in e.flags]
    assert not fuzzy, f"{len(fuzzy)} fuzzy message(s): {fuzzy[:10]}"
    plural_count = 2  # English: nplurals=2
    untranslated = [
        e.msgid
        for e in live
        if not all(e.msgstr.get(i, "").strip() for i in (range(plural_count) if e.msgid_plural else (0,)))
    ]
    assert not untranslated, f"{len(untranslated)} untranslated message(s): {untranslated[:10]}"

    # Same opinion from gettext itself, which also checks the python-format placeholders.
    result = subprocess.run(
        [require("msgfmt"), "--check", "--statistics", "-o", os.devnull, str(PO)],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", result.stderr), result.stderr


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    """Beyond msgfmt --check, which only looks at entries flagged python-format."""
    wrong = []
    for e in messages(PO):
        expected = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        wrong += [(e.msgid, text) for text in e.msgstr.values() if sorted(PLACEHOLDER.findall(text)) != expected]
    assert not wrong, wrong


def test_glossary_terms_are_used():
    """A few fixed terms of the project's glossary (Vietnamese public administration)."""
    catalogue = {e.msgid: e.msgstr[0] for e in messages(PO)}
    expected = {
        "Chương trình hợp tác": "Cooperation programme",
        "Kế hoạch hợp tác": "Cooperation plan",
        "Biên bản ghi nhớ": "Memorandum of understanding",
        "bộ phận điều phối": "coordinating office",
        "ngày chốt số liệu": "cut-off date",
        "Hội nghị sơ kết": "Mid-term review conference",
        "Hội nghị tổng kết": "Final review conference",
        "Họp định kỳ hàng năm": "Yearly review meeting",
        "giá trị nền": "baseline",
        "Khó khăn, vướng mắc": "Difficulties",
        "Kiến nghị, đề xuất": "Proposals",
        "Phương hướng, nhiệm vụ kỳ tới": "Tasks for the next period",
    }
    assert {k: catalogue.get(k) for k in expected} == expected


# --- (b) the committed .mo is the compiled .po -------------------------------------------------


def _catalog(path: Path) -> tuple[dict[object, str], str | None]:
    with path.open("rb") as fp:
        translations = gettext.GNUTranslations(fp)
    catalog = dict(translations._catalog)
    header = catalog.pop("", "")
    plural_forms = next((line for line in header.splitlines() if line.startswith("Plural-Forms:")), None)
    return catalog, plural_forms


def test_committed_mo_is_up_to_date(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run([require("msgfmt"), "--check", "-o", str(compiled), str(PO)], check=True)
    committed, committed_plural = _catalog(MO)
    fresh, fresh_plural = _catalog(compiled)
    # The header's dates change on every makemessages run; only its plural rule matters at run time.
    assert committed_plural == fresh_plural
    missing = {k: v for k, v in fresh.items() if committed.get(k) != v}
    extra = {k: v for k, v in committed.items() if k not in fresh}
    assert not missing and not extra, (
        f"django.mo is stale: run compilemessages. {len(missing)} message(s) missing or different "
        f"(e.g. {list(missing.items())[:3]}), {len(extra)} extra (e.g. {list(extra.items())[:3]})"
    )


# --- (c) the catalogue has every msgid of the code ---------------------------------------------


def _copy_sources(destination: Path) -> None:
    """Copy what makemessages reads (sources and templates) and the locale folder, nothing else."""
    for folder, dirs, files in os.walk(ROOT):
        here = Path(folder)
        relative = here.relative_to(ROOT)
        dirs[:] = [
            d for d in dirs if not d.startswith(".") and d != "__pycache__" and not (here == ROOT and d in IGNORED_DIRS)
        ]
        for name in files:
            if relative.parts[:1] == ("locale",) or name.endswith(SOURCE_SUFFIXES):
                target = destination / relative / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(here / name, target)


def test_makemessages_would_not_change_the_msgids(tmp_path):
    """MAKEMESSAGES CHECK: runs the real makemessages on a throw-away copy of the project (a second or two).

    A string marked for translation in the code or the templates but missing from django.po fails
    here. An entry whose string is gone from the code only warns: it is harmless at run time, and
    translations are sometimes committed just before the code that uses them.
    """
    require("xgettext")
    require("msgmerge")
    _copy_sources(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            *(f"--ignore={d}" for d in IGNORED_DIRS),
        ],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    regenerated = {e.key for e in messages(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {e.key for e in messages(PO)}
    new = sorted(k[1] for k in regenerated - committed)
    stale = sorted(k[1] for k in committed - regenerated)
    assert not new, f"{len(new)} msgid(s) in the code but not in django.po (run makemessages): {new[:20]}"
    if stale:
        warnings.warn(
            f"{len(stale)} msgid(s) in django.po are no longer in the code (run makemessages): {stale[:20]}",
            stacklevel=1,
        )


# --- (d) the language switch --------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_vietnamese_by_default_and_english_after_the_switch(client, users):
    assert settings.LANGUAGE_CODE == "vi"
    client.force_login(users["la.staff"])
    home = reverse("home")

    # No cookie: Vietnamese, even for a browser that prefers English.
    response = client.get(home, headers={"accept-language": "en-US,en;q=0.9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="vi"' in page
    assert "Việc của tôi" in page and "My tasks" not in page
    assert response.headers["Content-Language"] == "vi"

    response = client.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    response = client.get(home)
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "My tasks" in page and "Việc của tôi" not in page
    assert "Log out" in page and "Đăng xuất" not in page
    assert response.headers["Content-Language"] == "en"

    # And back.
    client.post(reverse("set_language"), {"language": "vi", "next": home})
    assert "Việc của tôi" in client.get(home).content.decode()


@pytest.mark.django_db
def test_english_on_request_only(client, users):
    client.force_login(users["la.staff"])
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.get(reverse("home"))["Content-Language"] == "en"
