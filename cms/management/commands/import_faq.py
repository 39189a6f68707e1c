from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cms.importers.faq_pages import FAQImportError, find_campaign, find_locale, import_faq_page
from cms.importers.faq_text import FAQFormatError, parse_faq
from cms.pages.models import FAQPage


class Command(BaseCommand):
    help = (
        "Import a FAQ written as plain text/Markdown into an FAQ page below a campaign. "
        "Re-importing updates the same page; malformed input changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file (see cms/importers/faq_text.py for the format)")
        parser.add_argument("--campaign", required=True, help="Campaign page id or slug (any locale)")
        parser.add_argument("--locale", required=True, help="Language code of the FAQ, e.g. nl")
        parser.add_argument("--slug", required=True, help="Slug of the FAQ page")
        parser.add_argument("--title", help="Page title (required when the page is new)")
        parser.add_argument(
            "--translation-of",
            metavar="SLUG",
            help="Slug of the FAQ page (in another locale) that this one translates",
        )
        parser.add_argument("--draft", action="store_true", help="Save as a draft instead of publishing")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        try:
            parsed = parse_faq(text)
            locale = find_locale(options["locale"])
            campaign = find_campaign(options["campaign"])
            source = None
            if options["translation_of"]:
                source = FAQPage.objects.filter(slug=options["translation_of"]).exclude(locale=locale).first()
                if source is None:
                    raise FAQImportError(f"No FAQ page with slug “{options['translation_of']}” to translate.")
            result = import_faq_page(
                parsed=parsed,
                campaign=campaign,
                locale=locale,
                slug=options["slug"],
                title=options["title"],
                translation_of=source,
                publish=not options["draft"],
            )
        except (FAQFormatError, FAQImportError) as error:
            raise CommandError(f"{path}: {error} Nothing was changed.") from error
        verb = "Created" if result.created else ("Updated" if result.changed else "Unchanged:")
        self.stdout.write(
            f"{verb} FAQ page “{result.page.title}” ({locale.language_code}, id {result.page.pk}) "
            f"with {len(parsed.questions)} questions in {len(parsed.sections)} sections."
        )
