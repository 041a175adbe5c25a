"""Child process of reporting.documents.pdf: render one HTML file to PDF, nothing else.

    python -m reporting.documents.pdfworker job.json out.pdf

job.json holds {"html", "base_url", "roots"}; the safe URL fetcher gets exactly those roots,
so the child can load no more than the parent could.  No Django set-up is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reporting.documents.fetcher import SafeURLFetcher


def main(job_path: str, output_path: str) -> None:
    from weasyprint import HTML

    job = json.loads(Path(job_path).read_text(encoding="utf-8"))
    fetcher = SafeURLFetcher(roots=[Path(root) for root in job["roots"]])
    pdf = HTML(string=job["html"], base_url=job["base_url"], url_fetcher=fetcher).write_pdf()
    assert pdf is not None
    Path(output_path).write_bytes(pdf)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
