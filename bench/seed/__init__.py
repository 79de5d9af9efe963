"""Volume data for `make bench`, written in batches with plain INSERTs (COPY).

Run by bench/volume.py in a subprocess, against the benchmark's own database only:

    python -m bench.seed courses --dates 200 --bookings 10000
    python -m bench.seed personal-data --rows 100000 --target kari@example.no
    python -m bench.seed expired-mail --rows 100000

Each command tops up to the totals it is given (a second run adds nothing) and
prints one JSON line with what it made. The data look like the site's own: upcoming
course dates with confirmed, waitlisted and cancelled bookings, normalised e-mail
addresses, timestamps spread over each declaration's retention period and, except
for `expired-mail`, nothing that has passed it (so that `enforce_retention` finds
only the rows made expired on purpose).

The command line is __main__.py; each command has its module (catalogue.py for
`courses`, personal_data.py for `personal-data`, mails.py for `expired-mail`), on
top of writer.py (the rows: INSERT, or COPY on PostgreSQL) and people.py (the
made-up people and moments).
"""
