import codecs
import shlex
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_noop

from cms.importers.faq_pages import FAQImportError, find_campaign, find_locale, import_faq_page
from cms.importers.faq_text import FAQFormatError, parse_faq
from cms.management.base import ImportCommand
from cms.pages.models import FAQPage

NOTHING_CHANGED = gettext_noop("Nothing was changed.")


class Command(ImportCommand):
    nothing = NOTHING_CHANGED
    help = gettext_noop(
        "Import a FAQ written as plain text/Markdown into an FAQ page below a campaign. "
        "By default the import is a draft: a new revision, nothing published (a new page is created "
        "not live). --submit also submits the draft for review; --publish publishes it straight away. "
        "Re-importing updates the same page; an unchanged file writes nothing; malformed input "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help=gettext("UTF-8 text file (see cms/importers/faq_text.py for the format)")
        )
        parser.add_argument(
            "--campaign", required=True, help=gettext("Campaign page id or slug (any locale)")
        )
        parser.add_argument("--locale", required=True, help=gettext("Language code of the FAQ, e.g. nl"))
        parser.add_argument("--slug", required=True, help=gettext("Slug of the FAQ page"))
        parser.add_argument("--title", help=gettext("Page title (required when the page is new)"))
        parser.add_argument(
            "--translation-of",
            metavar="SLUG",
            help=gettext(
                "Slug of the FAQ page (in another locale) that this one translates; the file must "
                "have the same sections and number of questions per section"
            ),
        )
        parser.add_argument(
            "--allow-structure-change",
            action="store_true",
            help=gettext(
                "With --translation-of: accept a file whose sections or questions per section differ "
                "from the source page"
            ),
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help=gettext(
                "Save a draft without publishing or submitting it. This is the default; the option "
                "is kept for existing scripts"
            ),
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help=gettext("Save the draft and submit it to the page's review workflow (needs --user)"),
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=gettext(
                "Publish straight away (needs --user, who must be allowed to publish the page, "
                "e.g. a Reviewer)"
            ),
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=gettext(
                "Who does the import; their page permissions apply (required with --submit and --publish)"
            ),
        )

    def _handle(self, options):
        user = self._user(options)
        path = Path(options["path"])
        text = self._read(path)
        try:
            parsed = parse_faq(text)
            locale = find_locale(options["locale"])
            campaign = find_campaign(options["campaign"])
            source = None
            if options["translation_of"]:
                source = FAQPage.objects.filter(slug=options["translation_of"]).exclude(locale=locale).first()
                if source is None:
                    raise FAQImportError(
                        gettext("No FAQ page with slug “%(slug)s” to translate.")
                        % {"slug": options["translation_of"]}
                    )
            result = import_faq_page(
                parsed=parsed,
                campaign=campaign,
                locale=locale,
                slug=options["slug"],
                title=options["title"],
                translation_of=source,
                publish=options["publish"],
                submit=options["submit"],
                user=user,
                allow_structure_change=options["allow_structure_change"],
            )
        except (FAQFormatError, FAQImportError) as error:
            raise CommandError(f"{path}: {error} {gettext(NOTHING_CHANGED)}") from error
        summary = {
            "title": result.page.title,
            "locale": locale.language_code,
            "id": result.page.pk,
            "questions": len(parsed.questions),
            "sections": len(parsed.sections),
        }
        if result.created:
            line = gettext(
                "Created FAQ page “%(title)s” (%(locale)s, id %(id)s) "
                "with %(questions)s questions in %(sections)s sections."
            )
        elif result.changed:
            line = gettext(
                "Updated FAQ page “%(title)s” (%(locale)s, id %(id)s) "
                "with %(questions)s questions in %(sections)s sections."
            )
        else:
            line = gettext(
                "Unchanged: FAQ page “%(title)s” (%(locale)s, id %(id)s) "
                "with %(questions)s questions in %(sections)s sections."
            )
        self.stdout.write(line % summary)
        outcome = self._outcome(result, user, options)
        if outcome:
            self.stdout.write(outcome)

    def _user(self, options):
        """The --user, checked before anything else; required with --submit and --publish."""
        chosen = [f"--{name}" for name in ("draft", "submit", "publish") if options[name]]
        if len(chosen) > 1:
            if len(chosen) == 2:
                combined = gettext("%(first)s and %(second)s cannot be combined") % {
                    "first": chosen[0],
                    "second": chosen[1],
                }
            else:
                combined = gettext("%(first)s and %(second)s and %(third)s cannot be combined") % {
                    "first": chosen[0],
                    "second": chosen[1],
                    "third": chosen[2],
                }
            raise CommandError(
                gettext(
                    "%(combined)s: save a draft (the default), submit it for review "
                    "(--submit) or publish it (--publish). %(nothing)s"
                )
                % {"combined": combined, "nothing": gettext(NOTHING_CHANGED)}
            )
        username = options["user"]
        if username is None:
            if options["submit"]:
                raise CommandError(
                    gettext(
                        "--submit needs --user USERNAME: the person who submits the draft for review. "
                        "%(nothing)s"
                    )
                    % {"nothing": gettext(NOTHING_CHANGED)}
                )
            if options["publish"]:
                raise CommandError(
                    gettext(
                        "--publish needs --user USERNAME: someone allowed to publish the page, such as a "
                        "reviewer. %(nothing)s"
                    )
                    % {"nothing": gettext(NOTHING_CHANGED)}
                )
            return None
        return self.find_user(username)

    def _read(self, path: Path) -> str:
        data = self.read_bytes(path)
        start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        try:
            return data[start:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise CommandError(self._not_utf8(path, data, start + error.start)) from error

    def _not_utf8(self, path: Path, data: bytes, offset: int) -> str:
        line = data.count(b"\n", 0, offset) + 1
        # What such files usually are: UTF-16 when it says so, otherwise what Windows editors save.
        encoding = "UTF-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "WINDOWS-1252"
        converted = path.with_name(f"{path.stem}.utf8{path.suffix}")
        return gettext(
            "%(path)s is not UTF-8 (invalid byte 0x%(byte)02x at line %(line)s, byte offset %(offset)s). "
            "Save it as UTF-8 — in most editors “Save as…” and choose the encoding UTF-8 — or convert it: "
            "iconv -f %(encoding)s -t UTF-8 %(source)s > %(target)s %(nothing)s"
        ) % {
            "path": path,
            "byte": data[offset],
            "line": line,
            "offset": offset,
            "encoding": encoding,
            "source": shlex.quote(str(path)),
            "target": shlex.quote(str(converted)),
            "nothing": gettext(NOTHING_CHANGED),
        }

    def _outcome(self, result, user, options) -> str:
        """One line on what the import did to the live page and its review."""
        who = {"user": user.get_username() if user else ""}
        if result.published:
            if result.cancelled_review:
                return gettext("Published by %(user)s; the review in progress was cancelled.") % who
            return gettext("Published by %(user)s.") % who if user else gettext("Published.")
        if result.workflow_state is not None:
            return gettext(
                "Submitted for review (“%(workflow)s”) by %(user)s; it goes live when a reviewer approves it."
            ) % {**who, "workflow": result.workflow_state.workflow.name}
        if not result.changed:
            if options["submit"]:
                return gettext("Nothing to submit: the live version already has this content.")
            if options["publish"]:
                return gettext("Nothing to publish: the live version already has this content.")
            return ""
        if result.page.live:
            return gettext(
                "Saved as a draft; the live version is unchanged. Submit it for review in the admin, "
                "or import again with --submit --user USERNAME."
            )
        return gettext(
            "Saved as a draft; the page is not live. Submit it for review in the admin, "
            "or import again with --submit --user USERNAME."
        )
