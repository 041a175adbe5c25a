"""Which python3.11 runs the app's Python faster: the same CPU-bound work in each interpreter, alternated.

Usage (docs/benchmarks.md, "Which Python"):

    .venv/bin/python bench/interpreters.py /usr/bin/python3.11 ~/.pyenv/versions/3.11.7/bin/python3.11 [--rounds 5]

Each round runs, in a fresh process of each interpreter in turn, a Django template of 100 rows of 12 cells
(a loop, a filter, a condition and three variables per cell, as the app's tables have) rendered 15 times,
and a loop of ten million additions; it prints the median of each per interpreter and their ratio to the
first. The interpreters need Django importable: each is given this venv's site-packages (pure Python, and
Django is, so any python3.11 can import it). The machine's speed drifts by minute: the rounds alternate the
interpreters so that a drift falls on each alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import sysconfig

WORK = r"""
import json, sys, time
import django
from django.conf import settings
settings.configure(TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}], USE_I18N=False)
django.setup()
from django.template import Context, Template
template = Template(
    "{% for r in rows %}<tr>{% for c in r.cells %}<td class='{{ c.k }}'>{{ c.v|floatformat:2 }}"
    "{% if c.x %}<a href='{{ c.x }}'>x</a>{% endif %}</td>{% endfor %}</tr>{% endfor %}"
)
rows = [{"cells": [{"k": "a", "v": i * 1.5, "x": "/u/%d" % i if i % 2 else ""} for i in range(12)]} for _ in range(100)]
renders = []
for _ in range(15):
    start = time.perf_counter()
    template.render(Context({"rows": rows}))
    renders.append(time.perf_counter() - start)
start = time.perf_counter()
total = 0
for i in range(10_000_000):
    total += i
loop = time.perf_counter() - start
print(json.dumps({"version": sys.version.split()[0], "template_ms": sorted(renders)[7] * 1000, "loop_ms": loop * 1000}))
"""


def run(python: str) -> dict[str, float | str]:
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    out = subprocess.run([python, "-c", WORK], env=env, check=True, capture_output=True, text=True).stdout
    result: dict[str, float | str] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pythons", nargs="+", help="interpreters to compare; the first is the reference")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float | str]]] = {python: [] for python in args.pythons}
    for _ in range(args.rounds):
        for python in args.pythons:
            results[python].append(run(python))
    reference: dict[str, float] = {}
    print("| interpreter | version | template p50 ms | loop p50 ms | template / first | loop / first |")
    print("|---|---|---:|---:|---:|---:|")
    for python, rounds in results.items():
        medians = {key: statistics.median(float(r[key]) for r in rounds) for key in ("template_ms", "loop_ms")}
        reference = reference or medians
        print(
            f"| `{python}` | {rounds[0]['version']} | {medians['template_ms']:.1f} | {medians['loop_ms']:.0f} | "
            f"{medians['template_ms'] / reference['template_ms']:.2f} | {medians['loop_ms'] / reference['loop_ms']:.2f} |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
