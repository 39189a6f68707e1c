"""schema.org JSON-LD of help-lines and FAQ pages, checked against the schema.org vocabulary
(tests/schemaorg.py: property names for each type, and the types their values may have), and
against the API's own fields where both say the same thing (hours, contact points, address)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api import structured_data, values
from cms.opening_hours import OpeningInterval
from tests.content import publish
from tests.schemaorg import problems

API = "/api/v1"
DAY_IRIS = [
    f"https://schema.org/{day}"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


def test_the_checker_refuses_what_schema_org_does_not_define():
    assert problems({"@type": "ContactPoint", "telephone": "116000"}) == []
    assert problems({"@type": "ContactPoint", "phone": "116000"}) == ["$.phone: no such schema.org property"]
    assert problems({"@type": "Organization", "contactOption": "https://schema.org/TollFree"}) == [
        "$.contactOption: not a property of Organization (only of ['ContactPoint'])"
    ]
    assert problems({"@type": "ContactPoint", "contactOption": "https://schema.org/Monday"}) == [
        "$.contactOption[0]: 'https://schema.org/Monday' is none of ['ContactPointOption']"
    ]
    assert problems({"@type": "Organization", "contactPoint": [{"@type": "Question"}]}) == [
        "$.contactPoint[0]: a Question where the property expects ['ContactPoint']"
    ]
    assert problems(
        {"@type": "OpeningHoursSpecification", "opens": "9 uur", "dayOfWeek": "https://schema.org/Monday"}
    ) == ["$.opens[0]: '9 uur' is none of ['Time']"]


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=io.StringIO())


@pytest.mark.parametrize("locale", ["nl", "fr", "en", "de"])
def test_every_demo_json_ld_is_schema_org(demo, client, locale):
    helplines = client.get(f"{API}/helplines/", {"locale": locale}).json()["results"]
    faqs = client.get(f"{API}/faqs/", {"locale": locale}).json()["results"]
    documents = [line["structured_data"] for line in helplines]
    documents += [
        client.get(f"{API}/faqs/{faq['slug']}/", {"locale": locale}).json()["structured_data"] for faq in faqs
    ]
    assert len(helplines) >= 3 and faqs
    for document in documents:
        assert document["@context"] == "https://schema.org"
        assert problems(document) == [], document


def test_one_contact_point_per_contact_point_and_toll_free_only_on_free_numbers(db, client, content):
    content.helpline(
        "meldpunt",
        "Meldpunt",
        organisation="Child Focus",
        points=[
            ("phone", "116000", "Bel 116000"),
            ("sms", "+32470123456", "Sms ons"),
            ("email", "116000@childfocus.org", "Mail ons"),
            ("web_form", "https://www.stopchildporno.be/melden", "Meld online"),
            ("chat", "https://chat.example.org", "Chat met ons"),
        ],
        is_free=True,
        available_24_7=False,
        hours=[(0, "09:00", "17:00"), (5, "10:00", "23:59:59")],
    )
    body = client.get(f"{API}/helplines/meldpunt/").json()
    document = body["structured_data"]
    assert problems(document) == []
    points = document["contactPoint"]
    assert [(point.get("telephone"), point.get("email"), point.get("url")) for point in points] == [
        ("116000", None, None),
        ("+32470123456", None, None),
        (None, "116000@childfocus.org", None),
        (None, None, "https://www.stopchildporno.be/melden"),
        (None, None, "https://chat.example.org"),
    ]
    assert [point["name"] for point in points] == [
        "Bel 116000",
        "Sms ons",
        "Mail ons",
        "Meld online",
        "Chat met ons",
    ]
    assert {point["contactType"] for point in points} == {"Meldpunt"}
    assert [point.get("contactOption") for point in points] == [
        "https://schema.org/TollFree",
        "https://schema.org/TollFree",
        None,
        None,
        None,
    ]
    # Hours on the points answered live (phone, SMS, chat), the same as the API's, string for string.
    api_hours = [
        (f"https://schema.org/{hours['day'].capitalize()}", hours["opens"], hours["closes"])
        for hours in body["availability"]["opening_hours"]
    ]
    assert api_hours == [
        ("https://schema.org/Monday", "09:00", "17:00"),
        ("https://schema.org/Saturday", "10:00", "23:59"),
    ]
    for point in points:
        hours = [
            (spec["dayOfWeek"], spec["opens"], spec["closes"]) for spec in point.get("hoursAvailable", [])
        ]
        assert hours == (api_hours if ("telephone" in point or "chat" in point.get("url", "")) else [])


def test_a_paid_line_is_not_toll_free_and_24_7_is_every_day_all_day(db, client, content):
    content.helpline(
        "betalend",
        "Betalende lijn",
        points=[("phone", "+3222222222", "Bel ons")],
        is_free=False,
        available_24_7=True,
    )
    body = client.get(f"{API}/helplines/betalend/").json()
    [point] = body["structured_data"]["contactPoint"]
    assert "contactOption" not in point
    assert body["availability"] == {"always_open": True, "time_zone": "Europe/Brussels", "opening_hours": []}
    assert point["hoursAvailable"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": DAY_IRIS, "opens": "00:00", "closes": "23:59"}
    ]


times = st.times().map(lambda moment: moment.replace(second=0, microsecond=0))


@st.composite
def weekly_hours(draw):
    intervals = []
    for weekday in draw(st.sets(st.integers(0, 6), max_size=7)):
        opens = draw(times)
        closes = draw(times.filter(lambda moment, opens=opens: moment > opens))
        intervals.append(OpeningInterval(weekday=weekday, opens=opens, closes=closes))
    return tuple(sorted(intervals))


class _Line:
    name = "Lijn"
    organisation = "Organisatie"
    description = ""
    area_served = "BE"
    languages = ("nl",)
    is_free = True


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(hours=weekly_hours(), always_open=st.booleans())
def test_json_ld_hours_mean_what_the_api_hours_mean(hours, always_open):
    """Property: for any weekly hours, the JSON-LD says exactly the API's days and HH:MM times."""
    availability = values.Availability(
        always_open=always_open, time_zone="Europe/Brussels", opening_hours=hours
    )
    point = values.ContactPoint(type="phone", value="116000", label="Bel", href="tel:116000")
    document = structured_data.helpline_organization(_Line(), (point,), availability)
    assert problems(document) == []
    [json_ld] = document["contactPoint"]
    said = [(spec["dayOfWeek"], spec["opens"], spec["closes"]) for spec in json_ld.get("hoursAvailable", [])]
    if always_open:
        assert said == [(DAY_IRIS, "00:00", "23:59")]
    else:
        assert said == [
            (DAY_IRIS[interval.weekday], interval.opens.strftime("%H:%M"), interval.closes.strftime("%H:%M"))
            for interval in hours
        ]


def test_the_faq_page_has_its_public_address_when_the_campaign_gives_it(db, client, content):
    tree = content.page_tree(translations=("fr",))
    french_faq = content.translate_page(
        tree.faq, "fr", slug="questions-frequentes", title="Questions fréquentes"
    )
    without = client.get(f"{API}/faqs/veelgestelde-vragen/").json()["structured_data"]
    assert "url" not in without and "@id" not in without
    for campaign in tree.campaigns.values():
        campaign.refresh_from_db()  # as the admin loads it: with the FAQ page below it counted
        campaign.faq_url_template = "https://schatjeschatje.be/{locale}/faq/{slug}/"
        publish(campaign)
    dutch = client.get(f"{API}/faqs/veelgestelde-vragen/").json()["structured_data"]
    assert (dutch["@id"], dutch["url"]) == ("https://schatjeschatje.be/nl/faq/veelgestelde-vragen/",) * 2
    french = client.get(f"{API}/faqs/veelgestelde-vragen/", {"locale": "fr"}).json()["structured_data"]
    assert french["url"] == f"https://schatjeschatje.be/fr/faq/{french_faq.slug}/"
    assert problems(dutch) == [] and problems(french) == []


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("https://schatjeschatje.be/faq/", "Put {slug} where the FAQ page's slug goes in the address."),
        (
            "https://schatjeschatje.be/{lang}/{slug}",
            "Only {locale} and {slug} can be filled in; remove the other braces.",
        ),
        ("ftp://schatjeschatje.be/{slug}", "is not a valid web address"),
        ("schatjeschatje.be/{slug}", "is not a valid web address"),
    ],
)
def test_a_wrong_public_faq_address_is_refused_with_a_clear_message(db, content, template, message):
    campaign = content.page_tree(with_faq=False).campaign
    campaign.faq_url_template = template
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            campaign.full_clean()
        assert message in str(refused.value.message_dict["faq_url_template"])
