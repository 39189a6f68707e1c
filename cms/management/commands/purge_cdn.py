"""manage.py purge_cdn: purge the CDN as the change log records changes (the work is api.cdn.purger)."""

import argparse
import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from api import cdn
from api.cdn import purger


def positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds (got {value})")
    return number


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more (got {value})")
    return number


class Command(BaseCommand):
    help = (
        "Purge the CDN's cached API responses for every change the change log records, from any "
        "process. Runs until stopped (SIGTERM, Ctrl-C), checking every --interval seconds; a failed "
        "purge keeps the cursor and is retried with backoff (1 s doubling to 60 s) until it succeeds. "
        "--once purges what is pending and exits (status 1 if a purge failed). Does nothing when no "
        "CDN is configured (BAKEN_PUBLIC_API_BASE_URL and WAGTAILFRONTENDCACHE / BAKEN_CDN_*)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Purge what is pending, then exit.")
        parser.add_argument(
            "--interval",
            type=positive_float,
            default=purger.DEFAULT_INTERVAL,
            metavar="SECONDS",
            help=f"Seconds between checks of the change log (default {purger.DEFAULT_INTERVAL:g}).",
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=purger.DEFAULT_BATCH_SIZE,
            metavar="N",
            help=f"Change log entries purged per attempt (default {purger.DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, once: bool, interval: float, batch_size: int, **options):
        if not cdn.enabled():
            self.stdout.write(
                "CDN purging is off (set BAKEN_PUBLIC_API_BASE_URL and a WAGTAILFRONTENDCACHE backend, "
                "e.g. BAKEN_CDN_PURGE_LOCATION): nothing to do."
            )
            return
        worker = purger.Purger(batch_size=batch_size)
        names = ", ".join(worker.backends)
        if once:
            self._once(worker, names)
            return
        stop = threading.Event()

        def stop_on_signal(signum, frame):
            self.stdout.write(f"Stopping (signal {signum}) after the current attempt.")
            stop.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, stop_on_signal)
            signal.signal(signal.SIGINT, stop_on_signal)
        self.stdout.write(f"Purging the CDN ({names}) every {interval:g} s as content changes; Ctrl-C stops.")
        self.stdout.flush()

        def report(outcome: purger.Outcome) -> None:
            if outcome.status == purger.PURGED:
                self.stdout.write(self._purged(outcome))
                self.stdout.flush()

        worker.run_forever(interval=interval, stop=stop, on_outcome=report)
        self.stdout.write("Stopped.")

    def _purged(self, outcome: purger.Outcome) -> str:
        what = "everything" if outcome.everything else f"{outcome.entries} change log entries"
        return f"Purged {outcome.urls} URLs for {what}; cursor at {outcome.cursor}."

    def _once(self, worker: purger.Purger, names: str) -> None:
        outcome = worker.drain()
        if outcome.status == purger.FAILED:
            raise CommandError(
                f"CDN purge failed ({outcome.error}); the cursor stays at {outcome.cursor} and the "
                "next run retries."
            )
        if outcome.status == purger.BUSY:
            self.stdout.write("Another purger is purging right now: nothing done.")
        elif outcome.status == purger.IDLE:
            self.stdout.write(f"Nothing to purge ({names}); cursor at {outcome.cursor}.")
        else:
            self.stdout.write(self._purged(outcome))
