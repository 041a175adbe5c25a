"""HTML to PDF with WeasyPrint: the main document and its appendix, merged into one file.

Decree 30/2020 numbers the pages of an appendix (phụ lục) on their own, so the appendix is a
separate WeasyPrint document.  That also lets a large report use both cores: the appendix is
laid out in a child process (`python -m reporting.documents.pdfworker`, a plain subprocess, so
it works inside Celery's daemonic pool workers too) while this process lays out the main text.
Both get only the safe URL fetcher.  pypdf joins the two PDFs.

The child's files (the appendix's HTML and its PDF) are in a scratch folder of this process
(reporting.documents.processes), so that a render killed mid-way leaves nothing that the next
claim, sweep or worker start does not remove; the child itself exits when this process dies.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from io import BytesIO

from django.conf import settings

from reporting.documents.fetcher import SafeURLFetcher, allowed_roots
from reporting.documents.processes import new_scratch_folder

WORKER_TIMEOUT = 600


def render_pdf(html: str, base_url: str, fetcher: SafeURLFetcher | None = None) -> bytes:
    """WeasyPrint, with the safe URL fetcher as its only way to load anything."""
    from weasyprint import HTML

    fetcher = fetcher if fetcher is not None else SafeURLFetcher()
    pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def merge(pdfs: list[bytes]) -> bytes:
    """One PDF of all pages in order, with the first document's metadata (title, author)."""
    if len(pdfs) == 1:
        return pdfs[0]
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(BytesIO(data)) for data in pdfs]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader)
    if readers[0].metadata:
        writer.add_metadata(dict(readers[0].metadata))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


class _Child:
    """WeasyPrint in a subprocess: input and output through files, so no pipe can fill up and block."""

    def __init__(self, html: str, base_url: str) -> None:
        self.folder = new_scratch_folder("pdf")
        self.output = self.folder / "out.pdf"
        job = {
            "html": html,
            "base_url": base_url,
            "roots": [str(r) for r in allowed_roots()],
            "parent": os.getpid(),  # the child watches it and exits when it dies
        }
        try:
            (self.folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "reporting.documents.pdfworker",
                    str(self.folder / "job.json"),
                    str(self.output),
                ],
                cwd=settings.BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def result(self) -> bytes:
        try:
            _out, err = self.process.communicate(timeout=WORKER_TIMEOUT)
            if self.process.returncode != 0:
                raise RuntimeError(f"PDF worker failed ({self.process.returncode}): {err.decode()[-500:]}")
            return self.output.read_bytes()
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            shutil.rmtree(self.folder, ignore_errors=True)


def render_parts(parts: list[str], base_url: str, *, parallel: bool = False) -> bytes:
    """Render each HTML part as its own document and merge them; the later parts in a child if parallel."""
    children = [_Child(html, base_url) for html in parts[1:]] if parallel else []
    try:
        first = render_pdf(parts[0], base_url)
    except BaseException:
        for child in children:
            child.process.kill()
            with contextlib.suppress(Exception):
                child.result()  # reaps the process and removes its folder
        raise
    rest = [child.result() for child in children] if parallel else [render_pdf(html, base_url) for html in parts[1:]]
    return merge([first, *rest])
