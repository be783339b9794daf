"""`make bench` (`make bench QUICK=1`): generate data, run each scenario and its baseline in one run, print a table.

Runs on PostgreSQL when DATABASE_URL is set, SQLite otherwise, in a fresh database of its own (test_<name>) that is
dropped at the end. Results go to bench/results/<date>.md with the machine's description.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path

SCENARIOS = [
    "bench.scenarios.s1_lesson_page",
    "bench.scenarios.s2_quiz_submit",
    "bench.scenarios.s3_certificates",
    "bench.scenarios.s4_compliance",
    "bench.scenarios.s5_roster_import",
    "bench.scenarios.s6_verify",
    "bench.scenarios.s7_student_list",
]


PROFILE_DIR = Path(__file__).resolve().parent / ".data"


def _profiler():
    from pyinstrument import Profiler

    PROFILE_DIR.mkdir(exist_ok=True)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    return profiler


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small data and few repeats (a smoke test, ~1 minute)")
    parser.add_argument("--only", default="", help="comma-separated scenario numbers, e.g. 1,6")
    parser.add_argument("--no-write", action="store_true", help="do not write bench/results/<date>.md")
    parser.add_argument("--note", action="append", default=[], help="a note for the results file (repeatable)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="profile each scenario with pyinstrument into bench/.data/profile-<n>.txt",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.bench")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_databases, teardown_databases

    from bench.results_table import render, write_results

    selected = {item.strip() for item in args.only.split(",") if item.strip()}
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"Benchmarks on {database}{' (quick)' if args.quick else ''}", flush=True)
    old_config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    results: list = []
    notes: list[str] = list(args.note)
    failed: list[str] = []
    started = time.monotonic()
    try:
        for module_name in SCENARIOS:
            number = module_name.rsplit(".", 1)[-1][1]
            if selected and number not in selected:
                continue
            module = importlib.import_module(module_name)
            print(f"- scenario {number}: {module.TITLE}", flush=True)
            scenario_start = time.monotonic()
            profiler = _profiler() if args.profile else None
            try:
                scenario_results, scenario_notes = module.run(quick=args.quick)
            except Exception as error:  # noqa: BLE001 - a broken scenario is reported, never hidden
                traceback.print_exc()
                from bench.results_table import Result

                scenario_results = [Result(module.TITLE, "error", None, None, "", "<= 0x", note=repr(error))]
                scenario_notes = [f"scenario {number} failed: {error!r}"]
                failed.append(number)
            finally:
                if profiler is not None:
                    profiler.stop()
                    path = PROFILE_DIR / f"profile-{number}.txt"
                    path.write_text(profiler.output_text(unicode=True, show_all=False), encoding="utf-8")
                    print(f"  profile: {path}", flush=True)
            results.extend(scenario_results)
            notes.extend(scenario_notes)
            print(f"  ({time.monotonic() - scenario_start:.1f} s)", flush=True)
    finally:
        teardown_databases(old_config, verbosity=0)
    print()
    print(render(results))
    print(f"total {time.monotonic() - started:.0f} s")
    if not args.no_write:
        path = write_results(results, database=database, quick=args.quick, notes=notes)
        print(f"written to {path}")
    # Targets are reported, not asserted; a scenario that broke fails the run (the CI smoke test relies on it).
    if failed:
        print(f"scenarios that failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
