"""Child process of reporting.documents.pdf: render one HTML file to PDF, nothing else.

    python -m reporting.documents.pdfworker job.json out.pdf

job.json holds {"html", "base_url", "roots", "parent"}; the safe URL fetcher gets exactly those
roots, so the child can load no more than the parent could.  No Django set-up is needed.  A
render killed mid-way (its worker process SIGKILLed) cannot stop its child, so the child watches
its parent ("parent", a pid) and exits as soon as it is gone: no orphan keeps laying out a report
nobody will read, nor writes into a folder being removed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

from reporting.documents.fetcher import SafeURLFetcher


def _exit_with(parent: int) -> None:
    """Exit when the parent dies (this process is then re-parented: getppid() changes)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(3)


def main(job_path: str, output_path: str) -> None:
    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    parent = job.get("parent")
    if parent is not None:
        threading.Thread(target=_exit_with, args=(int(parent),), daemon=True).start()
    from weasyprint import HTML

    fetcher = SafeURLFetcher(roots=[Path(root) for root in job["roots"]])
    pdf = HTML(string=job["html"], base_url=job["base_url"], url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    Path(output_path).write_bytes(pdf)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
