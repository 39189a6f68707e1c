"""Last-verified and review-by dates in the admin: a date in the editor's language, never "… ago".

The editor's language is their Wagtail admin preference (UserProfile.preferred_language); exports
keep ISO dates.
"""

import csv
import datetime as dt
import html
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from cms import reviews
from tests.users import logged_in

pytestmark = pytest.mark.django_db

LISTING_URL = "/admin/snippets/cms/helpline/"
CITATIONS_URL = "/admin/snippets/cms/sourcecitation/"
REPORT_URL = "/admin/reports/overdue-for-review/"
RELATIVE = ("ago", "geleden", "il y a", "vor ", "just now", "zojuist", "à l’instant")
# The columns' headings and "never checked" in each admin language Baken ships.
LAST_VERIFIED = {"nl": "Laatst gecontroleerd", "fr": "Dernière vérification", "en": "Last verified"}
REVIEW_BY = {"nl": "Controle uiterlijk", "fr": "Relecture avant le", "en": "Review by"}
NEVER_CHECKED = {
    "nl": "nu (nooit gecontroleerd)",
    "fr": "maintenant (jamais vérifiée)",
    "en": "now (never checked)",
}


def column(content: str, label: str | int) -> dict[str, str]:
    """The text of one column of the listing's table (by heading or position), by the row's title."""
    table = BeautifulSoup(content, "html.parser").find("table", class_="listing")
    headings = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")]
    if isinstance(label, int):
        index = label
    else:
        index = next(i for i, heading in enumerate(headings) if heading.startswith(label))
    cells = {}
    for row in table.find("tbody").find_all("tr"):
        tds = row.find_all("td")
        title = row.find("a").get_text(strip=True)
        cells[title] = tds[index].get_text(" ", strip=True)
    return cells


@pytest.fixture
def listed(content):
    content.helpline(
        name="Verified", last_verified=dt.date(2026, 6, 5), review_interval_days=180, revision=False
    )
    content.helpline(name="Never verified", last_verified=None, revision=False)


@pytest.mark.parametrize(
    ("language", "last_verified", "review_by"),
    [
        ("nl", "5 juni 2026", "2 december 2026"),
        ("fr", "5 juin 2026", "2 décembre 2026"),
        ("en", "June 5, 2026", "Dec. 2, 2026"),
    ],
)
def test_the_listing_shows_dates_in_the_editors_language(
    client, superuser, listed, language, last_verified, review_by
):
    response = logged_in(client, superuser, language=language).get(LISTING_URL)

    assert response.status_code == 200
    content = response.content.decode()
    last_verified_column = column(content, LAST_VERIFIED[language])
    review_by_column = column(content, REVIEW_BY[language])
    assert last_verified_column == {"Verified": last_verified, "Never verified": ""}
    assert review_by_column == {"Verified": review_by, "Never verified": NEVER_CHECKED[language]}
    for text in [*last_verified_column.values(), *review_by_column.values()]:
        assert not any(word in text for word in RELATIVE)


def test_the_results_view_shows_the_same_dates(client, superuser, listed):
    response = logged_in(client, superuser, language="fr").get(LISTING_URL + "results/")
    assert response.status_code == 200
    assert column(response.content.decode(), REVIEW_BY["fr"])["Verified"] == "2 décembre 2026"


def test_the_citation_listing_shows_dates_in_the_editors_language(client, superuser, content):
    content.citation(
        "Jaarverslag", publication_date=dt.date(2023, 6, 1), last_reviewed=dt.date(2025, 3, 1), revision=False
    )

    listing = logged_in(client, superuser, language="fr").get(CITATIONS_URL).content.decode()

    assert column(listing, 5) == {"Jaarverslag": "1 juin 2023"}  # "Published", in French
    assert column(listing, REVIEW_BY["fr"]) == {"Jaarverslag": "1 mars 2026"}


@pytest.fixture
def overdue(content):
    return content.helpline(
        name="Hulplijn 116000", last_verified=dt.date(2024, 1, 10), review_interval_days=180
    )


def test_the_report_shows_dates_in_the_editors_language_and_exports_iso_dates(client, superuser, overdue):
    logged_in(client, superuser, language="fr")

    content = client.get(REPORT_URL).content.decode()

    row = BeautifulSoup(content, "html.parser").find("table", class_="listing").find("tbody").find("tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[:6] == ["Hulplijn 116000", "Ligne d'aide", "nl", "10 janvier 2024", "180", "8 juillet 2024"]
    assert not any(word in cell for cell in cells for word in RELATIVE)

    export = client.get(REPORT_URL, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8"))))
    assert rows[1][3] == "2024-01-10"
    assert rows[1][5] == "2024-07-08"


def test_the_dashboard_panel_shows_the_review_by_date_in_the_editors_language(client, superuser, overdue):
    content = logged_in(client, superuser, language="nl").get("/admin/").content.decode()
    panel = content[content.index("baken-review-due") :]
    assert "8 juli 2024" in panel
    assert "2024-07-08" not in panel


def test_verifying_says_the_date_in_the_editors_language_and_history_too(client, superuser, overdue):
    logged_in(client, superuser, language="fr")
    with translation.override("fr"):
        today = date_format(timezone.localdate(), "DATE_FORMAT")

    response = client.post(reverse("wagtailsnippets_cms_helpline:verify", args=[overdue.pk]), follow=True)

    assert response.status_code == 200
    assert (
        f"La ligne d'aide «\u00a0Hulplijn 116000\u00a0» est marquée comme vérifiée le {today}, "
        "dans toutes les langues."
    ) in html.unescape(response.content.decode())
    history = client.get(reverse("wagtailsnippets_cms_helpline:history", args=[overdue.pk]))
    assert f"Marquée comme vérifiée le {today}" in history.content.decode()


def test_display_date_follows_the_active_language():
    day = dt.date(2026, 12, 2)
    with translation.override("nl"):
        assert reviews.display_date(day) == "2 december 2026"
    with translation.override("fr"):
        assert reviews.display_date(day) == "2 décembre 2026"
    with translation.override("de"):
        assert reviews.display_date(day) == "2. Dezember 2026"
    assert reviews.display_date(None, "never") == "never"
