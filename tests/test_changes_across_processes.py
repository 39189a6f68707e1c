"""Every server process serves a change made by another OS process with its very next response.

Two real servers — ``runserver`` and ``gunicorn`` with two workers — share one database with the
demo content; their response caches are warm. Then other OS processes change content the ways
people do: ``import_faq`` publishes a new FAQ page, a shell script changes a help-line number,
restricts a page with a password and unpublishes a campaign (so the FAQ below it is hidden), and
``publish_scheduled`` (as cron runs it) publishes a revision scheduled a moment earlier. After each,
every endpoint that shows the change answers with it, on every server, hidden content gone and new
content there:

- **SQLite without Redis** (``make run``): each process has a private cache and reads the versions
  from the change log for every lookup, so at once;
- **PostgreSQL with Redis** (production): at once when the writer reached Redis; and a writer
  that cannot reach Redis is served by every process within the stated bound
  (api/response_cache/versions.py: ``POLL_SECONDS``).
"""

import time

import pytest

from api.response_cache.versions import POLL_SECONDS
from tests.servers import KINDS, Deployment, deployed, get

FAQ = "veelgestelde-vragen"
CAMPAIGN = "schat-je-schatje"
HELPLINE = "child-focus-116000"
NEW_FAQ = "vragen-over-sextortion"
NEW_FAQ_TEXT = """FAQ

Wat is sextortion precies?

Iemand dreigt naaktbeelden van je te verspreiden als je niet betaalt. Zoutvaatje is het codewoord.
"""

pytestmark = pytest.mark.django_db(transaction=False)


def served(deployment: Deployment) -> list[dict]:
    """What each server process answers now, for every endpoint the scenario changes. Each server
    is asked twice, so both gunicorn workers are likely to answer at least once, and a second answer
    is a cache hit."""
    answers = []
    for base in deployment.bases:
        for _ in range(2):
            api = f"{base}/api/v1"
            faq_status, faq = get(f"{api}/faqs/{FAQ}/")
            new_status, _ = get(f"{api}/faqs/{NEW_FAQ}/")
            campaign_status, _ = get(f"{api}/campaigns/{CAMPAIGN}/")
            _, helpline = get(f"{api}/helplines/{HELPLINE}/")
            _, faqs = get(f"{api}/faqs/?limit=100")
            _, search = get(f"{api}/search/?q=zoutvaatje")
            faq_numbers = sorted(
                {
                    helpline_shown["contact_points"][0]["value"]
                    for section in faq.get("sections", [])
                    for question in section["questions"]
                    for helpline_shown in question["helplines"]
                    if helpline_shown["slug"] == HELPLINE
                }
            )
            answers.append(
                {
                    "server": base,
                    "faq": faq_status,
                    "new_faq": new_status,
                    "campaign": campaign_status,
                    "help_line_number": helpline["contact_points"][0]["value"],
                    "help_line_name": helpline["name"],
                    "numbers_in_the_faq": faq_numbers,
                    "faq_list": sorted(item["slug"] for item in faqs["results"]),
                    "search": sorted({result["faq"]["slug"] for result in search["results"]}),
                }
            )
    return answers


def expect(deployment: Deployment, **wanted) -> None:
    for answer in served(deployment):
        assert {name: answer[name] for name in wanted} == wanted, answer["server"]


@pytest.fixture(params=KINDS)
def deployment(request, tmp_path):
    with deployed(request.param, tmp_path) as built:
        yield built


HELPLINE_NUMBER = """
from cms.snippets.models import ContactPoint, HelpLine
helpline = HelpLine.objects.get(slug="{slug}", locale__language_code="nl")
point = helpline.contact_points.get(value="116000")
point.value = "{number}"
point.save()
helpline.save_revision().publish()
"""

RESTRICT = """
from wagtail.models import Page, PageViewRestriction
page = Page.objects.get(slug="{slug}", locale__language_code="nl")
PageViewRestriction.objects.create(page=page, restriction_type="password", password="geheim")
"""

UNPUBLISH = """
from wagtail.models import Page
Page.objects.get(slug="{slug}", locale__language_code="nl").specific.unpublish()
"""

SCHEDULE_REPUBLISH = """
import datetime as dt
from django.utils import timezone
from wagtail.models import Page
page = Page.objects.get(slug="{slug}", locale__language_code="nl").specific
page.go_live_at = timezone.now() + dt.timedelta(seconds={seconds})
page.save_revision(approved_go_live_at=page.go_live_at)
"""

PENDING_SCHEDULES = """
from wagtail.models import Revision
print(Revision.objects.filter(approved_go_live_at__isnull=False).count())
"""

RENAME_HELPLINE = """
from cms.snippets.models import HelpLine
helpline = HelpLine.objects.get(slug="{slug}", locale__language_code="nl")
helpline.name = "{name}"
helpline.save_revision().publish()
"""


def test_every_server_serves_each_change_made_by_another_process_with_its_next_response(deployment, tmp_path):
    expect(
        deployment,
        faq=200,
        new_faq=404,
        campaign=200,
        help_line_number="116000",
        numbers_in_the_faq=["116000"],
        faq_list=[FAQ],
        search=[],
    )

    faq_file = tmp_path / "sextortion.nl.txt"
    faq_file.write_text(NEW_FAQ_TEXT, encoding="utf-8")
    deployment.manage(
        "import_faq",
        str(faq_file),
        "--campaign",
        CAMPAIGN,
        "--locale",
        "nl",
        "--slug",
        NEW_FAQ,
        "--title",
        "Vragen over sextortion",
        "--publish",
        "--user",
        "admin",
    )
    expect(deployment, new_faq=200, faq_list=sorted([FAQ, NEW_FAQ]), search=[NEW_FAQ])

    deployment.shell(HELPLINE_NUMBER.format(slug=HELPLINE, number="+3225551234"))
    expect(deployment, help_line_number="+3225551234", numbers_in_the_faq=["+3225551234"])

    deployment.shell(RESTRICT.format(slug=NEW_FAQ))
    expect(deployment, new_faq=404, faq_list=[FAQ], search=[])

    deployment.shell(UNPUBLISH.format(slug=CAMPAIGN))
    expect(deployment, campaign=404, faq=404, faq_list=[], search=[])

    # Cron's publish_scheduled publishes the campaign again, scheduled a moment before: the FAQ
    # below it is public again.
    deployment.shell(SCHEDULE_REPUBLISH.format(slug=CAMPAIGN, seconds=1))
    time.sleep(1.5)
    deployment.manage("publish_scheduled")
    assert deployment.shell(PENDING_SCHEDULES).strip() == "0"  # published by cron, not by a request
    expect(deployment, campaign=200, faq=200, faq_list=[FAQ])


@pytest.mark.parametrize("deployment", ["postgresql-with-redis"], indirect=True)
def test_a_writer_that_cannot_reach_redis_is_served_everywhere_within_the_poll_bound(deployment):
    expect(deployment, help_line_name=get(f"{deployment.bases[0]}/api/v1/helplines/{HELPLINE}/")[1]["name"])
    unreachable = {**deployment.env, "REDIS_URL": "redis://127.0.0.1:1/0"}
    deployment.shell(
        RENAME_HELPLINE.format(slug=HELPLINE, name="Hulplijn 116000 (gewijzigd)"), env=unreachable
    )
    written = time.monotonic()
    deadline = written + POLL_SECONDS + 1.0  # the bound, and this test's own requests
    while True:
        names = {answer["help_line_name"] for answer in served(deployment)}
        if names == {"Hulplijn 116000 (gewijzigd)"}:
            break
        assert time.monotonic() < deadline, names
        time.sleep(0.1)
