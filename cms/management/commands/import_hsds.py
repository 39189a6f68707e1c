"""``manage.py import_hsds FILE``: help-lines from Open Referral HSDS 3 services (cms/importers/hsds.py).

A dry run by default: the report says, help-line by help-line and field by field, what would be
created or changed. ``--apply`` saves each change as a new draft revision (a new help-line is
created not live); ``--publish`` also publishes it. One problem anywhere and nothing is written.
"""

import codecs
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_noop

from cms.importers.hsds import HSDSImportError, apply_import, find_locale, plan_import, report_lines
from cms.management.base import ImportCommand

NOTHING_WRITTEN = gettext_noop("Nothing was written.")


class Command(ImportCommand):
    nothing = NOTHING_WRITTEN
    help = gettext_noop(
        "Import help-lines from Open Referral HSDS 3.0.1 services: a JSON file holding one service, a "
        'list of services or an HSDS page ({"contents": [...]}), such as /api/hsds/v3/services?full=true '
        "gives. A dry run by default: it reports what would be created or changed, field by field. "
        "--apply saves the changes as drafts; --publish also publishes them. A file with any problem "
        "writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext("JSON file of HSDS services"))
        parser.add_argument(
            "--locale",
            default=settings.BAKEN_DEFAULT_LOCALE,
            help=gettext(
                "Language of the services' texts (default: the default locale). In another locale only "
                "the translation's texts are imported: name, organisation, description, contact labels"
            ),
        )
        parser.add_argument(
            "--apply",
            action="store_true",
            help=gettext("Save each new or changed help-line as a draft (a new revision; nothing goes live)"),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=gettext("Save and publish each new or changed help-line (implies --apply)"),
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=gettext(
                "Who does the import: named in the revisions and the history; their permissions apply"
            ),
        )

    def _handle(self, options):
        path = Path(options["path"])
        data = self._read(path)
        publish = options["publish"]
        apply = options["apply"] or publish
        user = self.find_user(options["user"]) if options["user"] is not None else None
        try:
            locale = find_locale(options["locale"])
            plan = plan_import(data, locale=locale, user=user, publish=publish)
        except HSDSImportError as error:
            raise CommandError(
                gettext("%(path)s cannot be imported. %(nothing)s Problems:")
                % {"path": path, "nothing": gettext(NOTHING_WRITTEN)}
                + "".join(f"\n- {problem}" for problem in error.problems)
            ) from error
        for line in report_lines(plan):
            self.stdout.write(line)
        counts = {
            "created": plan.count("create"),
            "changed": plan.count("change"),
            "unchanged": plan.count("unchanged"),
        }
        if not apply:
            self.stdout.write(
                gettext(
                    "Dry run: %(created)s to create, %(changed)s to change, %(unchanged)s unchanged. "
                    "Nothing was written: run again with --apply to save the changes as drafts, or "
                    "with --publish to publish them."
                )
                % counts
            )
            return
        try:
            result = apply_import(plan, publish=publish, user=user)
        except Exception as error:
            # One transaction: whatever failed while writing, everything it wrote was rolled back.
            raise CommandError(
                gettext("%(path)s could not be written: %(reason)s. %(nothing)s")
                % {"path": path, "reason": error, "nothing": gettext(NOTHING_WRITTEN)}
            ) from error
        if publish:
            self.stdout.write(
                gettext(
                    "Published: %(created)s created, %(changed)s changed, %(unchanged)s unchanged "
                    "(%(published)s published)."
                )
                % {**counts, "published": result.published}
            )
        else:
            self.stdout.write(
                gettext(
                    "Saved as drafts: %(created)s created, %(changed)s changed, %(unchanged)s unchanged. "
                    "What is live is unchanged until the drafts are published."
                )
                % counts
            )

    def _read(self, path: Path) -> object:
        data = self.read_bytes(path)
        try:
            return json.loads(data.removeprefix(codecs.BOM_UTF8).decode("utf-8"))
        except UnicodeDecodeError as error:
            raise CommandError(
                gettext("%(path)s is not UTF-8 (invalid byte at offset %(offset)s). %(nothing)s")
                % {"path": path, "offset": error.start, "nothing": gettext(NOTHING_WRITTEN)}
            ) from error
        except json.JSONDecodeError as error:
            raise CommandError(
                gettext("%(path)s is not JSON: %(reason)s (line %(line)s, column %(column)s). %(nothing)s")
                % {
                    "path": path,
                    "reason": error.msg,
                    "line": error.lineno,
                    "column": error.colno,
                    "nothing": gettext(NOTHING_WRITTEN),
                }
            ) from error
