"""manage.py compact_change_log: delete old change log entries (the work is cms.change_log.compact)."""

from django.core.management.base import BaseCommand, CommandError

from cms.change_log import DEFAULT_KEEP_DAYS, compact


class Command(BaseCommand):
    help = (
        "Delete change log entries older than --keep-days days, in one transaction. The newest entry "
        "(and the newest of each family) is always kept; the highest deleted sequence becomes the "
        "horizon, below which a delta feed can no longer answer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-days",
            type=int,
            default=DEFAULT_KEEP_DAYS,
            metavar="N",
            help=f"Keep the entries of the last N days (default {DEFAULT_KEEP_DAYS}; 0: only the newest).",
        )

    def handle(self, *args, keep_days: int, **options):
        if keep_days < 0:
            raise CommandError(f"--keep-days must be 0 or more (got {keep_days}). Nothing was deleted.")
        result = compact(keep_days=keep_days)
        self.stdout.write(
            f"Deleted {result.deleted} change log entries older than {keep_days} days; "
            f"changes after sequence {result.horizon} are all kept."
        )
