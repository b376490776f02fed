"""`make bench`: the app served as in production, loaded as its users load it, beside the limit and Datasette.

Without options it runs the whole served benchmark (`bench.served`): SQLite at 10,000 and 100,000 claims
(PostgreSQL at 10,000 and 1,000,000 too with BENCH_PG=1, or `--pg-sizes`), prints the tables and writes them
into docs/benchmarks.md. It uses databases of its own, never the project's, and deletes them afterwards.

`--lists` prints the earlier in-process timings of the admin, page and API lists instead (`bench.lists`,
generated data rolled back in the project's database). `--generate` and `--in-process` are the steps the
served benchmark runs in processes of their own, on the database it made for them.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def sizes(text: str) -> list[int]:
    return [int(size.replace("_", "")) for size in text.split(",") if size.strip()]


class Command(BaseCommand):
    help = "Serve generated data under gunicorn, load it with wrk, compare with the raw-SQL limit and Datasette."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", type=sizes, help="Claims on SQLite (default 10000,100000; --lists: 30,300,1000)."
        )
        parser.add_argument(
            "--pg-sizes",
            type=sizes,
            default=sizes("10000,1000000") if os.environ.get("BENCH_PG") == "1" else [],
            help="Claims on PostgreSQL (default with BENCH_PG=1: 10000,1000000; else none).",
        )
        parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 5)))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 2)))
        parser.add_argument("--no-docs", action="store_true", help="Print only; leave docs/benchmarks.md alone.")
        parser.add_argument("--lists", action="store_true", help="The earlier in-process list timings.")
        parser.add_argument("--repeat", type=int, default=5, help="With --lists: requests per measurement.")
        parser.add_argument("--generate", type=int, help="A step: fill this (empty, migrated) database.")
        parser.add_argument("--in-process", type=Path, help="A step: time the API in process (generated info).")
        parser.add_argument("--raw-database", help="With --in-process: the limit's database (path or URL).")
        parser.add_argument("--out", type=Path, help="With a step: where its JSON goes.")

    def handle(self, *args, **options):
        if options["generate"] is not None:
            from bench.generate import generate

            options["out"].write_text(json.dumps(generate(options["generate"]).as_dict()))
        elif options["in_process"] is not None:
            from bench.inprocess import measure

            info = json.loads(options["in_process"].read_text())
            options["out"].write_text(json.dumps(measure(info, options["raw_database"])))
        elif options["lists"]:
            from bench.lists import Lists

            Lists(self.stdout.write).run(
                [30, 300, 1000] if options["sizes"] is None else options["sizes"], options["repeat"]
            )
        else:
            from bench.served import run

            try:
                run(
                    sqlite_sizes=[10_000, 100_000] if options["sizes"] is None else options["sizes"],
                    pg_sizes=options["pg_sizes"],
                    seconds=options["seconds"],
                    workers=options["workers"],
                    write=not options["no_docs"],
                    say=lambda line: self.stdout.write(line) or self.stdout.flush(),
                )
            except KeyboardInterrupt:
                raise CommandError("interrupted: servers stopped, benchmark databases deleted") from None
