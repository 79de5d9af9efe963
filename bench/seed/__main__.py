"""The command line of `python -m bench.seed` (what it does: bench/seed/__init__.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from bench.seed.catalogue import seed_courses
from bench.seed.mails import seed_expired_mail
from bench.seed.personal_data import seed_personal_data
from bench.seed.writer import analyze_written_tables, tune_connection


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.seed")
    commands = parser.add_subparsers(dest="command", required=True)
    courses = commands.add_parser("courses")
    courses.add_argument("--dates", type=int, required=True)
    courses.add_argument("--bookings", type=int, required=True)
    personal = commands.add_parser("personal-data")
    personal.add_argument("--rows", type=int, required=True)
    personal.add_argument("--target", required=True)
    expired = commands.add_parser("expired-mail")
    expired.add_argument("--rows", type=int, required=True)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    arguments = parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "glasoterapi.settings")
    import django

    django.setup()
    tune_connection()
    started = time.monotonic()
    if arguments.command == "courses":
        made = seed_courses(dates=arguments.dates, bookings=arguments.bookings)
    elif arguments.command == "personal-data":
        made = seed_personal_data(rows=arguments.rows, target=arguments.target)
    else:
        made = seed_expired_mail(rows=arguments.rows)
    analyze_written_tables()
    made["seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(made))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
