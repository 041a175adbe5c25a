"""The day the 2025 merger of provinces took effect (Resolution 202/2025/QH15): 63 units became 34.

Plain constants, free of models, so that the data migrations that load units can use them too.
"""

from __future__ import annotations

import datetime

MERGER_DATE = datetime.date(2025, 7, 1)  # the merged provinces' governments start on this day
LAST_DAY_BEFORE_MERGER = MERGER_DATE - datetime.timedelta(days=1)
