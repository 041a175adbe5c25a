"""What the reporting workflow announces, for the apps above it (notifications) to act on.

Sent inside the writing transaction, after the write: a receiver's own writes commit or roll
back with the event, and anything it sends to the outside must wait for transaction.on_commit.
"""

from django.dispatch import Signal

# kwargs: report (ProgressReport, as saved), transition (ReportTransition), actor (User)
report_transitioned = Signal()
# kwargs: document (OfficialDocument, numbered), number (str, as printed), actor (User)
document_issued = Signal()
