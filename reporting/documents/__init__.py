"""Official documents (PDF) in the format of Decree 30/2020/NĐ-CP, rendered with WeasyPrint.

- `kinds`: one class per document kind, each with one `generate()` (as pretix's renderers);
- `fetcher`: the only URL fetcher WeasyPrint gets: the app's static files and stored uploads;
- `numbering`: "Số: 05/BC-SCT", a counter per issuing body and calendar year;
- `letterhead`: header, place and date, signature block and recipients of Decree 30;
- `charts`: the SVG charts, the same markup in the browser (the dashboards) and in the PDF;
- `services`: request a document, render and store it (synchronously or with Celery), serve it.

"""

import logging

# WeasyPrint logs every layout step at INFO; the app's log only needs its warnings (refused URLs, …).
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
