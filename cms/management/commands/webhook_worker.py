"""Deliver publish webhooks: ``manage.py webhook_worker`` (see cms.webhooks.worker)."""

from django.core.management.base import BaseCommand, CommandError

from cms.webhooks.worker import run


class Command(BaseCommand):
    help = "Turn content changes into webhook events and deliver them, until stopped (SIGTERM)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when there is nothing to do (default 1).",
        )
        parser.add_argument("--once", action="store_true", help="Do one round and exit.")

    def handle(self, *args, interval: float, once: bool, **options):
        if not 0.05 <= interval <= 60:
            raise CommandError("--interval must be between 0.05 and 60 seconds.")
        run(interval=interval, once=once, report=lambda text: self.stdout.write(text))
