"""Run every benchmark in bench/ as a subprocess and print its output; exit 1 if one fails.

    .venv/bin/python bench/run_all.py           # tm_scale in quick mode (20,000 x 200)
    .venv/bin/python bench/run_all.py --full    # tm_scale at 1,000,000 records x 10,000 marks, load_api 60 s
    .venv/bin/python bench/run_all.py --only tm_noise,tm_eval_dev

``make bench`` calls this script. Scripts not listed in ORDER but present in bench/ run after
the listed ones with no arguments.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ORDER = ["entity_matching", "tm_eval_dev", "tm_noise", "tm_brands_noise", "tm_scale", "load_api"]
QUICK_ARGS = {"tm_scale": ["--records", "20000", "--marks", "200"],
              "load_api": ["--seconds", "10", "--baseline-seconds", "5"]}
FULL_ARGS: dict[str, list[str]] = {"tm_scale": [], "load_api": []}


def scripts() -> list[str]:
    present = sorted(p.stem for p in BENCH.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_"))
    return [name for name in ORDER if name in present] + [name for name in present if name not in ORDER]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="tm_scale at full size (1M records x 10k marks)")
    parser.add_argument("--only", default="", help="comma-separated script names (without .py)")
    args = parser.parse_args()
    names = scripts()
    if args.only:
        wanted = [n.strip().removesuffix(".py") for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in names]
        if unknown:
            print(f"unknown bench script(s): {', '.join(unknown)}; have: {', '.join(names)}", file=sys.stderr)
            return 2
        names = wanted
    failed: list[str] = []
    summary: list[tuple[str, int, float]] = []
    for name in names:
        extra = (FULL_ARGS if args.full else QUICK_ARGS).get(name, [])
        command = [sys.executable, str(BENCH / f"{name}.py"), *extra]
        print(f"=== {name} {' '.join(extra)}".rstrip(), flush=True)
        start = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stdout.write(proc.stderr)
            failed.append(name)
        summary.append((name, proc.returncode, seconds))
        print(flush=True)
    print("=== summary")
    for name, code, seconds in summary:
        print(f"{name:20} {'ok' if code == 0 else f'FAILED (exit {code})':18} {seconds:8.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
