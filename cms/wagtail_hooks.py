from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, UpdatedAtColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.snippets.models import HelpLine, SourceCitation


class HelpLineViewSet(SnippetViewSet):
    model = HelpLine
    icon = "help"
    menu_label = "Help-lines"
    list_display = [
        "name",
        "organisation",
        Column("contact_summary", label="Contact points", accessor="contact_summary"),
        BooleanColumn("available_24_7", label="24/7"),
        DateColumn("last_verified", label="Last verified"),
        UpdatedAtColumn(),
    ]
    list_filter = {
        "live": ["exact"],
        "contact_points__contact_type": ["exact"],
        "last_verified": ["lte", "gte"],
    }
    ordering = ["name"]
    copy_view_enabled = False


class SourceCitationViewSet(SnippetViewSet):
    model = SourceCitation
    icon = "doc-full"
    menu_label = "Source citations"
    list_display = [
        "title",
        Column("citation_type", label="Type", accessor="get_citation_type_display"),
        "publisher",
        DateColumn("publication_date", label="Published"),
        UpdatedAtColumn(),
    ]
    list_filter = {"live": ["exact"], "citation_type": ["exact"], "language": ["exact"]}
    ordering = ["title"]


class ContentSnippetsGroup(SnippetViewSetGroup):
    items = (HelpLineViewSet, SourceCitationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Help & sources"
    menu_name = "help-and-sources"


register_snippet(ContentSnippetsGroup)
