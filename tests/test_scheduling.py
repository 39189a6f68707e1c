"""Scheduled go-live and expiry are visible in the API at the exact moment, with no periodic job."""

import datetime as dt

import pytest
from django.utils import timezone

from cms.snippets.models import ContactPoint, ContactType
from tests.content import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Move the clock: ``clock.at(moment)``."""

    class Clock:
        def at(self, moment):
            monkeypatch.setattr(timezone, "now", lambda: moment)

    return Clock()


def schedule(obj, go_live_at):
    obj.go_live_at = go_live_at
    obj.save_revision().publish()


def test_a_new_page_scheduled_for_later_goes_live_in_the_api_at_that_moment(client, content, clock):
    tree = content.page_tree(with_faq=False)
    moment = timezone.now() + dt.timedelta(hours=2)
    faq = content.faq(tree.campaign, "nieuw", "Nieuw", live=False)
    schedule(faq, moment)
    faq.refresh_from_db()
    assert faq.live is False
    assert client.get("/api/v1/faqs/nieuw/").status_code == 404

    clock.at(moment - dt.timedelta(seconds=1))
    assert client.get("/api/v1/faqs/nieuw/").status_code == 404

    clock.at(moment + dt.timedelta(seconds=1))
    response = client.get("/api/v1/faqs/nieuw/")
    assert response.status_code == 200
    assert response.json()["title"] == "Nieuw"
    faq.refresh_from_db()
    assert faq.live is True
    assert client.get("/api/v1/faqs/").json()["count"] == 1


def test_a_scheduled_change_of_a_live_help_line_number_is_served_from_that_moment(client, content, clock):
    helpline = content.helpline("child-focus-116000")
    moment = timezone.now() + dt.timedelta(minutes=30)
    helpline.contact_points = [ContactPoint(contact_type=ContactType.PHONE, value="+3224754411", label="Bel")]
    schedule(helpline, moment)

    def number():
        return client.get("/api/v1/helplines/child-focus-116000/").json()["contact_points"][0]["value"]

    assert number() == "116000"
    clock.at(moment + dt.timedelta(seconds=1))
    assert number() == "+3224754411"


def test_expiry_hides_pages_and_snippets_at_the_exact_moment(client, content, clock):
    tree = content.page_tree()
    helpline = content.helpline("tijdelijke-lijn")
    moment = timezone.now() + dt.timedelta(hours=1)
    for obj in (tree.faq, helpline):
        obj.expire_at = moment
        publish(obj)
    clock.at(moment - dt.timedelta(seconds=1))
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 200
    assert client.get("/api/v1/helplines/tijdelijke-lijn/").status_code == 200
    clock.at(moment)
    assert client.get("/api/v1/faqs/veelgestelde-vragen/").status_code == 404
    assert client.get("/api/v1/helplines/tijdelijke-lijn/").status_code == 404
    assert client.get("/api/v1/faqs/").json()["count"] == 0


def test_nothing_due_costs_no_query_once_memoised(client, content, django_assert_max_num_queries):
    content.page_tree()
    client.get("/api/v1/faqs/")
    # The content versions (read from the change log with this private cache) and the list's own
    # queries; none for scheduling.
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/faqs/").status_code == 200
