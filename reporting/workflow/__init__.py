"""Every write of the reporting app, one module per part of the process.

- `periods`: opening periods and their reports, entries seeded from the period before (the hourly
  job in bulk: `open_due_periods`);
- `drafts`: saving entries and report fields, with the version check (`versions`);
- `evidence`: files attached to entries, checked by their bytes;
- `review`: submit, return, approve, reopen (the transition table is on ProgressReport).

Each function takes the acting user, runs in one transaction, writes the audit trail and
raises a ReportingError whose message is shown to the user as it is.  The names below are
the app's public API; views and other apps import them from here.
"""

from reporting.workflow.drafts import REPORT_FIELDS, EntryEdit, save_draft, save_entry, save_report_fields
from reporting.workflow.errors import DraftConflict, EditConflict, ReportingError
from reporting.workflow.evidence import ALLOWED_EVIDENCE, add_evidence, check_evidence_file, remove_evidence
from reporting.workflow.periods import (
    OpenedSummary,
    agreement_windows,
    ensure_report,
    open_due_periods,
    open_reporting_periods,
    sync_entries,
)
from reporting.workflow.review import approve_report, reopen_report, return_report, submit_report

__all__ = [
    "ALLOWED_EVIDENCE",
    "REPORT_FIELDS",
    "DraftConflict",
    "EditConflict",
    "EntryEdit",
    "OpenedSummary",
    "ReportingError",
    "add_evidence",
    "agreement_windows",
    "approve_report",
    "check_evidence_file",
    "ensure_report",
    "open_due_periods",
    "open_reporting_periods",
    "remove_evidence",
    "reopen_report",
    "return_report",
    "save_draft",
    "save_entry",
    "save_report_fields",
    "submit_report",
    "sync_entries",
]
