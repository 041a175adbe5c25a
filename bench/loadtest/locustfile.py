"""Locust: staff saving progress entries one at a time (the "Lưu mục này" button, an htmx post), and a floor probe.

Run by bench/loadtest/run.py (`make loadtest`), which seeds the data, starts gunicorn, signs every staff
member in and passes, through the environment:

- LOADTEST_SESSIONS: a JSON list of {"username", "report", "entries", "cookies", "forms"}, one per staff
  user: signed in, with the fields of each entry of their report as the edit page showed them;
- LOADTEST_OUT: a folder; at the end this writes requests.json (every request: when, what, how long,
  status) and acks.json (every save the server acknowledged: entry, version, the text saved);
- LOADTEST_WAIT: "min,max" seconds between two saves of one person (default "3,10"): the time to type
  a sentence or two into an entry, or change its status and percentage, before pressing save.

Each staff user has their report's edit page open (run.py loaded it, after the login), types for a while
(the wait), and keeps saving a random entry of it: a new result text every time (about 200 characters of Vietnamese), and every third
save a new status and percentage too.  The post is what the browser sends: every field of that entry's
fieldset (with the hidden initial values and the version it was loaded at), multipart, with the empty
file input.  A save counts as acknowledged only if the answer is the fieldset marked "Đã lưu"; the
fieldset that comes back (with the new version) is the one the next save of that entry starts from.

The floor user asks GET /healthz once a second: one query and one broker ping, the cheapest request
the app answers, measured under the same load.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from itertools import count
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant_pacing, events, task

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest.pages import form_fields, multipart  # noqa: E402 - after the path above

SESSIONS: list[dict[str, Any]] = json.loads(Path(os.environ["LOADTEST_SESSIONS"]).read_text())
OUT = Path(os.environ["LOADTEST_OUT"])
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("LOADTEST_WAIT", "3,10").split(","))
SAVE = "save entry"
FLOOR = "floor /healthz"
STATUSES = ["on_track", "at_risk", "delayed"]
RESULT = (
    "Đã phối hợp tổ chức phiên kết nối cung - cầu, thu hút doanh nghiệp tham gia; ký kết biên bản ghi nhớ "
    "tiêu thụ thanh long, chanh không hạt và gạo hữu cơ với các hệ thống phân phối lớn"
)

_accounts = count()
requests: list[tuple[float, str, float, int]] = []
acks: list[dict[str, Any]] = []


def _record(request_type: str, name: str, response_time: float, response: Any = None, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    requests.append((time.time(), name, response_time, status))


def _write(**_: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "requests.json").write_text(json.dumps(requests))
    (OUT / "acks.json").write_text(json.dumps(acks, ensure_ascii=False))


events.request.add_listener(_record)
events.test_stop.add_listener(_write)


class Staff(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self) -> None:
        index = next(_accounts)
        if index >= len(SESSIONS):
            raise RuntimeError(f"only {len(SESSIONS)} signed-in staff users for this run")
        self.account = SESSIONS[index]
        self.cookies: dict[str, str] = dict(self.account["cookies"])
        self.report = self.account["report"]
        self.edit_path = f"/reports/{self.report}/edit/"
        self.saves = 0
        # The page was opened before the run (run.py): the person types before the first save.
        self.forms = {int(entry): fields for entry, fields in self.account["forms"].items()}
        self.wait()

    def headers(self, *, htmx: bool = False) -> dict[str, str]:
        headers = {
            "X-Forwarded-Proto": "https",
            # As from the proxy of a deployment (nginx speaks to its upstream without keep-alive by default): one
            # connection per request, and no race with gunicorn closing an idle keep-alive connection (2 s).
            "Connection": "close",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v),
            "Accept-Language": "vi",
        }
        if htmx:
            origin = f"https://{self.host.split('://', 1)[1]}"
            headers |= {
                "HX-Request": "true",
                "X-CSRFToken": self.cookies["csrftoken"],
                "Origin": origin,
                "Referer": origin + self.edit_path,
            }
        return headers

    @task
    def save_entry(self) -> None:
        entry = random.choice(self.account["entries"])
        prefix = f"e{entry}-"
        fields = dict(self.forms[entry])
        self.saves += 1
        text = f"{RESULT} (lần lưu {self.saves} của {self.account['username']}, {time.time():.6f})."
        fields[prefix + "results"] = text
        if self.saves % 3 == 0:
            fields[prefix + "status"] = random.choice(STATUSES)
            fields[prefix + "percent_complete"] = str(random.randint(1, 99))
        body, content_type = multipart(fields, {prefix + "evidence": ("", b"", "application/octet-stream")})
        headers = self.headers(htmx=True) | {"Content-Type": content_type}
        url = f"/reports/{self.report}/entries/{entry}/"
        with self.client.post(url, data=body, headers=headers, name=SAVE, catch_response=True) as response:
            self.client.cookies.clear()  # ours are kept by name (Secure cookies would not be sent over http)
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} {response.error or ''}".strip())
                return
            after = form_fields(response.text, f"entry-{entry}")
            if 'class="saved"' not in response.text or prefix + "version" not in after:
                response.failure("answered without “Đã lưu”")
                return
            self.forms[entry] = after
            acks.append({"entry": entry, "version": int(after[prefix + "version"]), "results": text})
            response.success()


class Floor(HttpUser):
    fixed_count = 1
    wait_time = constant_pacing(1.0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", headers={"X-Forwarded-Proto": "https", "Connection": "close"}, name=FLOOR)
