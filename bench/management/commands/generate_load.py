"""``manage.py generate_load --scale S``: the synthetic district the benchmarks run against."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.loadgen import SEED, LoadError, generate


def scale_value(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"--scale: not a number: {text}") from None
    if not value.is_finite() or value <= 0 or value > 100:
        raise CommandError("--scale must be above 0 and at most 100")
    return value


class Command(BaseCommand):
    help = (
        "Load a deterministic synthetic district for benchmarks: scale 1 is 1 district, 6 "
        "streets, 60 communities, 600 grids, 1,800 residential areas, 12,000 buildings, "
        "300,000 households, 20,000 party members and 1,000,000 cases over three years. "
        "Does nothing when the database already holds the same load; refuses a database with "
        "data it did not write unless --force is given (the loaded tables are wiped first)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=scale_value,
            required=True,
            help="size relative to scale 1 (e.g. 0.01 for a quick run, 1 for the full district)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=SEED,
            help=f"random seed; the same scale and seed give the same data (default {SEED})",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="wipe the synthetic data this command loaded before and load it again",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="wipe the loaded tables even though they hold data this command did not write",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = generate(
                scale=options["scale"],
                seed=options["seed"],
                reload=options["reload"],
                force=options["force"],
                log=self.stdout.write,
            )
        except LoadError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped:
            self.stdout.write(
                f"generate_load: this database already holds the load of scale "
                f"{result.plan.scale} (seed {result.plan.seed}); nothing to do "
                "(--reload loads it again)"
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"generate_load: scale {result.plan.scale} loaded in {result.seconds:.1f} s"
            )
        )
