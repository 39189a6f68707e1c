"""``manage.py import_hsds`` (cms/importers/hsds.py): HSDS services back into help-lines.

Baken's own HSDS output imports back unchanged, and into an empty database as the very same
help-lines; changes are reported field by field and written only with --apply (drafts) or
--publish; any problem is refused with its place in the file, and nothing is written. Also as a
separate OS process against a file database, served at once over real HTTP.
"""

import copy
import datetime as dt
import json
import subprocess
import sys
import uuid
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Revision

from api.hsds import mapping
from cms.importers.hsds import state_of
from cms.snippets.models import ContactPoint, HelpLine, OpeningHours
from tests.hsds import assert_valid, helpline_specs
from tests.servers import REPOSITORY, deployed, get

HSDS = "/api/hsds/v3"
DRY_RUN = (
    "Dry run: {created} to create, {changed} to change, {unchanged} unchanged. Nothing was written: run "
    "again with --apply to save the changes as drafts, or with --publish to publish them."
)


def export(client, *, locale: str = "nl") -> dict:
    response = client.get(f"{HSDS}/services", {"full": "true", "per_page": 100, "locale": locale})
    assert response.status_code == 200
    return response.json()


def write(tmp_path, data, name: str = "services.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def import_hsds(path, *args) -> list[str]:
    out = StringIO()
    call_command("import_hsds", str(path), *args, stdout=out)
    return out.getvalue().splitlines()


def refused(path, *args) -> str:
    with pytest.raises(CommandError) as refusal:
        import_hsds(path, *args)
    return str(refusal.value)


def counts() -> tuple[int, int, int, int]:
    return (
        HelpLine.objects.count(),
        ContactPoint.objects.count(),
        OpeningHours.objects.count(),
        Revision.objects.count(),
    )


def states() -> dict:
    """Every help-line row (its live content), by translation key and locale."""
    return {(row.translation_key, row.locale.language_code): state_of(row) for row in HelpLine.objects.all()}


def without_modified(document: dict) -> dict:
    result = copy.deepcopy(document)
    for service in result["contents"]:
        service.pop("last_modified", None)
    return result


def service_named(document: dict, name: str) -> dict:
    return next(service for service in document["contents"] if service["name"] == name)


def attribute(service: dict, code: str) -> dict:
    return next(item for item in service["attributes"] if item["taxonomy_term"]["code"] == code)


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def mondays(content) -> HelpLine:
    """The 116000 line, Mondays 09:00–17:00, one phone number (tests/content.py)."""
    return content.mondays_helpline()


# --- round trips ----------------------------------------------------------------------------------------


def test_bakens_own_output_imports_back_unchanged(client, demo, tmp_path):
    before = counts()
    lines = import_hsds(write(tmp_path, export(client)))
    keys = {name: HelpLine.objects.get(name=name).translation_key for name in ("Hulplijn 116000",)}
    assert lines[1] == f"Unchanged: “Hulplijn 116000” (nl, id {keys['Hulplijn 116000']})."
    assert [line.split(" (")[0] for line in lines] == [
        "Unchanged: “E-mail 116000@childfocus.org”",
        "Unchanged: “Hulplijn 116000”",
        "Unchanged: “Meldpunt stopchildporno.be”",
        DRY_RUN.format(created=0, changed=0, unchanged=3).split(" (")[0],
    ]
    assert lines[-1] == DRY_RUN.format(created=0, changed=0, unchanged=3)
    # Unchanged help-lines are not touched, not even with --publish: no new revision.
    assert import_hsds(write(tmp_path, export(client)), "--publish")[-1] == (
        "Published: 0 created, 0 changed, 3 unchanged (0 published)."
    )
    for locale in ("fr", "en"):
        lines = import_hsds(write(tmp_path, export(client, locale=locale)), "--locale", locale, "--apply")
        assert lines[-1].startswith("Saved as drafts: 0 created, 0 changed, 3 unchanged.")
    assert counts() == before


def test_into_an_empty_database_the_same_help_lines(client, demo, tmp_path):
    exports = {locale: export(client, locale=locale) for locale in ("nl", "fr", "en")}
    files = {locale: write(tmp_path, document, f"{locale}.json") for locale, document in exports.items()}
    before = states()
    HelpLine.objects.all().delete()
    assert (
        import_hsds(files["nl"], "--publish")[-1]
        == "Published: 3 created, 0 changed, 0 unchanged (3 published)."
    )
    for locale in ("fr", "en"):
        lines = import_hsds(files[locale], "--locale", locale, "--publish")
        assert lines[-1] == "Published: 3 created, 0 changed, 0 unchanged (3 published)."
    assert states() == before
    for locale, document in exports.items():
        assert without_modified(export(client, locale=locale)) == without_modified(document)
    # And the v1 API serves them as before, by their slug.
    detail = client.get("/api/v1/helplines/child-focus-116000/?locale=fr").json()
    assert (detail["name"], detail["contact_points"][0]["value"]) == ("Ligne d'aide 116000", "116000")


def rolled_back(check):
    """Run ``check`` in a transaction that is always rolled back: hypothesis reuses one database."""
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


@given(specs=st.lists(helpline_specs(), min_size=1, max_size=3, unique_by=lambda spec: spec.slug))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_valid_help_lines_round_trip(client, content, tmp_path, specs):
    def check():
        for spec in specs:
            content.helpline(**spec.as_builder())
        document = export(client)
        for service in document["contents"]:
            assert_valid("service", service)
        path = write(tmp_path, document)
        before, written = states(), counts()
        assert import_hsds(path)[-1] == DRY_RUN.format(created=0, changed=0, unchanged=len(specs))
        assert counts() == written
        HelpLine.objects.all().delete()
        assert import_hsds(path, "--publish")[-1] == (
            f"Published: {len(specs)} created, 0 changed, 0 unchanged ({len(specs)} published)."
        )
        assert states() == before
        assert without_modified(export(client)) == without_modified(document)

    rolled_back(check)


# --- changes -------------------------------------------------------------------------------------------


def test_changes_are_reported_field_by_field_and_written_only_when_asked(client, mondays, tmp_path):
    document = export(client)
    service = document["contents"][0]
    service["name"] = "Hulplijn 116 000"
    service["contacts"][0]["phones"][0]["number"] = "+32 2 555 12 34"  # normalised on import
    new_contact = str(uuid.uuid4())
    service["contacts"].append({"id": new_contact, "name": "Mail ons", "email": "hulp@example.org"})
    service["schedules"].append(
        {
            "id": str(uuid.uuid4()),
            "freq": "WEEKLY",
            "byday": "SA,SU",
            "opens_at": "10:00",
            "closes_at": "23:59:59",
        }
    )
    service["languages"].append({"id": str(uuid.uuid4()), "code": "en", "note": "en-GB"})
    service["assured_date"] = "2026-11-02"
    service["cost_options"] = []
    attribute(service, "anonymous_possible")["value"] = "true"
    attribute(service, "time_zone")["value"] = "Europe/Amsterdam"
    path = write(tmp_path, document)
    before, live = counts(), state_of(HelpLine.objects.get(pk=mondays.pk))
    served = client.get(f"{HSDS}/services/{mondays.translation_key}").json()

    assert import_hsds(path) == [
        f"Changed: “Hulplijn 116 000” (nl, id {mondays.translation_key}):",
        "  name: “Hulplijn 116000” → “Hulplijn 116 000”",
        "  free of charge: yes → no",
        "  anonymous contact possible: no → yes",
        "  time zone: “Europe/Brussels” → “Europe/Amsterdam”",
        "  languages: nl, fr → nl, fr, en-GB",
        "  last verified: — → 2026-11-02",
        "  opening hours: Monday 09:00–17:00 → "
        "Monday 09:00–17:00, Saturday 10:00–23:59:59, Sunday 10:00–23:59:59",
        "  contact point 1: phone “116000” (“Bel gratis 116000”) → phone “+3225551234” (“Bel gratis 116000”)",
        "  contact point 2: — → email “hulp@example.org” (“Mail ons”)",
        DRY_RUN.format(created=0, changed=1, unchanged=0),
    ]
    assert counts() == before

    assert import_hsds(path, "--apply")[-1] == (
        "Saved as drafts: 0 created, 1 changed, 0 unchanged. What is live is unchanged until the drafts "
        "are published."
    )
    row = HelpLine.objects.get(pk=mondays.pk)
    assert state_of(row) == live  # the live help-line, and so the API, are unchanged
    assert client.get(f"{HSDS}/services/{mondays.translation_key}").json() == served
    draft = state_of(row.get_latest_revision_as_object())
    assert (draft.name, draft.time_zone, draft.last_verified) == (
        "Hulplijn 116 000",
        "Europe/Amsterdam",
        dt.date(2026, 11, 2),
    )
    assert [(p.key, p.contact_type, p.value) for p in draft.contact_points] == [
        (live.contact_points[0].key, "phone", "+3225551234"),
        (uuid.UUID(new_contact), "email", "hulp@example.org"),
    ]
    assert Revision.objects.count() == before[3] + 1

    # The same file again: its content is the latest version already. No new revision.
    assert (
        import_hsds(path, "--apply")[0]
        == f"Unchanged: “Hulplijn 116 000” (nl, id {mondays.translation_key})."
    )
    assert Revision.objects.count() == before[3] + 1
    # --publish makes that draft live, without another revision.
    assert import_hsds(path, "--publish")[-1] == "Published: 0 created, 0 changed, 1 unchanged (1 published)."
    assert Revision.objects.count() == before[3] + 1
    published = client.get(f"{HSDS}/services/{mondays.translation_key}").json()
    assert [phone["number"] for phone in published["phones"]] == ["+3225551234"]
    assert published["email"] == "hulp@example.org"
    v1 = client.get("/api/v1/helplines/child-focus-116000/").json()
    assert [point["value"] for point in v1["contact_points"]] == ["+3225551234", "hulp@example.org"]
    assert v1["availability"]["time_zone"] == "Europe/Amsterdam"


def test_a_new_service_is_a_new_help_line_not_live_until_published(client, mondays, tmp_path):
    document = export(client)
    service = copy.deepcopy(document["contents"][0])
    new_id = str(uuid.uuid4())
    contact_id = str(uuid.uuid4())
    service.update(id=new_id, name="Awel", organization={"id": new_id, "name": "Awel", "description": "Awel"})
    service["contacts"] = [
        {"id": contact_id, "name": "Bel Awel", "phones": [{"id": new_id, "number": "102"}]}
    ]
    service["attributes"] = [a for a in service["attributes"] if a["taxonomy_term"]["code"] != "slug"]
    path = write(tmp_path, service)  # one service, as /services/{id} gives it
    lines = import_hsds(path, "--apply")
    assert lines[0] == f"New: “Awel” (nl, id {new_id}):"
    assert "  slug: “awel”" in lines  # made from the name
    assert "  contact point 1: phone “102” (“Bel Awel”)" in lines
    created = HelpLine.objects.get(translation_key=new_id)
    assert (created.live, created.locale.language_code, created.slug) == (False, "nl", "awel")
    assert created.contact_points.get().translation_key == uuid.UUID(contact_id)
    assert client.get(f"{HSDS}/services/{new_id}").status_code == 404
    import_hsds(path, "--publish")
    assert client.get(f"{HSDS}/services/{new_id}").json()["name"] == "Awel"


def test_a_translations_texts_with_locale(client, translated, tmp_path):
    helpline, french = translated["helpline"], translated["helpline_fr"]
    document = export(client, locale="fr")
    service = document["contents"][0]
    service["name"] = "Ligne d'écoute 116000"
    service["contacts"][0]["name"] = "Appelez gratuitement le 116000"
    path = write(tmp_path, document)
    dutch = state_of(HelpLine.objects.get(pk=helpline.pk))
    assert import_hsds(path, "--locale", "fr") == [
        f"Changed: “Ligne d'écoute 116000” (fr, id {helpline.translation_key}):",
        "  name: “Ligne d'aide 116000” → “Ligne d'écoute 116000”",
        "  contact point 1 label: “Bel gratis 116000” → “Appelez gratuitement le 116000”",
        DRY_RUN.format(created=0, changed=1, unchanged=0),
    ]
    import_hsds(path, "--locale", "fr", "--publish")
    assert client.get(f"{HSDS}/services/{helpline.translation_key}?locale=fr").json()["contacts"][0][
        "name"
    ] == ("Appelez gratuitement le 116000")
    assert state_of(HelpLine.objects.get(pk=french.pk)).name == "Ligne d'écoute 116000"
    assert state_of(HelpLine.objects.get(pk=helpline.pk)) == dutch


def test_a_missing_translation_is_created_from_the_default_locale(client, mondays, tmp_path):
    document = export(client)
    service = document["contents"][0]
    service["name"] = "Helpline 116000"
    service["contacts"][0]["name"] = "Call 116000 free of charge"
    attribute(service, "locale")["value"] = "en"
    path = write(tmp_path, document)
    assert import_hsds(path, "--locale", "en", "--apply")[0] == (
        f"New: “Helpline 116000” (en, id {mondays.translation_key}):"
    )
    english = HelpLine.objects.get(translation_key=mondays.translation_key, locale__language_code="en")
    assert not english.live
    import_hsds(path, "--locale", "en", "--publish")
    served = client.get(f"{HSDS}/services/{mondays.translation_key}?locale=en")
    assert served["Content-Language"] == "en"
    assert (served.json()["name"], served.json()["contacts"][0]["name"]) == (
        "Helpline 116000",
        "Call 116000 free of charge",
    )
    english = HelpLine.objects.get(pk=english.pk)
    assert [point.translation_key for point in english.contact_points.all()] == [
        point.translation_key for point in mondays.contact_points.all()
    ]


# --- refusals: nothing is written ---------------------------------------------------------------------


def set_phone(service, number):
    service["contacts"][0]["phones"][0]["number"] = number


def add_schedule(service, byday, opens_at, closes_at, **extra):
    service["schedules"].append(
        {
            "id": str(uuid.uuid4()),
            "freq": "WEEKLY",
            "byday": byday,
            "opens_at": opens_at,
            "closes_at": closes_at,
            **extra,
        }
    )


REFUSALS = {
    "not a uuid": (
        lambda service: service.update(id="not-a-uuid"),
        "service 1 (id not-a-uuid), $.contents[0].id: 'not-a-uuid' is not a 'uuid'",
    ),
    "no name": (lambda service: service.pop("name"), "$.contents[0]: 'name' is a required property"),
    "invalid phone number": (
        lambda service: set_phone(service, "123"),
        "$.contents[0].contacts[0].phones[0].number: “123” is not a valid phone number for region BE.",
    ),
    "invalid e-mail address": (
        lambda service: service["contacts"].append(
            {"id": str(uuid.uuid4()), "name": "Mail", "email": "hulp@"}
        ),
        "$.contents[0].contacts[1].email: “hulp@” is not a valid e-mail address.",
    ),
    "overlapping hours": (
        lambda service: add_schedule(service, "MO", "16:00", "18:00"),
        "$.contents[0].schedules: Monday: 09:00–17:00 and 16:00–18:00 overlap.",
    ),
    "backwards hours": (
        lambda service: add_schedule(service, "TU", "18:00", "08:00"),
        "$.contents[0].schedules: Tuesday: closing time 08:00 must be after opening time 18:00.",
    ),
    "a time with an offset": (
        lambda service: add_schedule(service, "TU", "09:00+01:00", "17:00"),
        "$.contents[0].schedules[1].opens_at: “09:00+01:00” is not a local time",
    ),
    "a monthly schedule": (
        lambda service: add_schedule(service, "1SA", "09:00", "17:00", freq="MONTHLY"),
        "$.contents[0].schedules[1]: Baken keeps weekly opening hours only",
    ),
    "unknown time zone": (
        lambda service: attribute(service, "time_zone").update(value="Mars/Olympus"),
        "$.contents[0].attributes[2].value: “Mars/Olympus” is not a known IANA time zone",
    ),
    "bad language tag": (
        lambda service: service["languages"].append({"id": str(uuid.uuid4()), "code": "Dutch"}),
        "$.contents[0].languages: “Dutch” is not a BCP 47 language tag",
    ),
    "bad area": (
        lambda service: service["service_areas"][0].update(name="Belgium"),
        "$.contents[0].service_areas[0].name: “Belgium” is not an ISO 3166 country or region code",
    ),
    "two channels in one contact": (
        lambda service: service["contacts"][0].update(email="hulp@example.org"),
        "$.contents[0].contacts[0]: A contact is one contact point",
    ),
    "no contacts": (
        lambda service: service.update(contacts=[]),
        "$.contents[0].contacts: Give at least one contact",
    ),
    "inactive": (
        lambda service: service.update(status="defunct"),
        "$.contents[0].status: Only active services can be imported; this one is “defunct”.",
    ),
    "texts in another language": (
        lambda service: attribute(service, "locale").update(value="fr"),
        "$.contents[0].attributes[3].value: The service's texts are in fr",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_refused_file_writes_nothing_and_names_the_problem(client, mondays, content, tmp_path, name):
    other = content.helpline("andere-lijn", "Andere lijn")
    document = export(client)
    changed = service_named(document, "Andere lijn")
    changed["name"] = "Andere lijn, hernoemd"  # a valid change beside the problem: not written either
    change, message = REFUSALS[name]
    target = service_named(document, "Hulplijn 116000")
    document["contents"] = [target, changed]  # the problem is in the first service
    change(target)
    before = counts()
    error = refused(write(tmp_path, document), "--publish")
    assert error.startswith(
        f"{tmp_path / 'services.json'} cannot be imported. Nothing was written. Problems:\n- "
    )
    assert message in error
    assert counts() == before
    assert HelpLine.objects.get(pk=other.pk).name == "Andere lijn"


def test_a_failure_while_writing_writes_nothing(client, mondays, content, tmp_path, monkeypatch):
    content.helpline("andere-lijn", "Andere lijn")
    document = export(client)
    for service in document["contents"]:
        service["name"] += " (gewijzigd)"
    path = write(tmp_path, document)
    before, names = counts(), sorted(HelpLine.objects.values_list("name", flat=True))
    published = []

    def publish_once(revision, *args, **kwargs):
        if published:
            raise RuntimeError("the database went away")
        published.append(revision)
        return original(revision, *args, **kwargs)

    original = Revision.publish
    monkeypatch.setattr(Revision, "publish", publish_once)
    error = refused(path, "--publish")
    assert error == f"{path} could not be written: the database went away. Nothing was written."
    assert published  # the first help-line was written, then rolled back
    assert counts() == before
    assert sorted(HelpLine.objects.values_list("name", flat=True)) == names


def test_a_duplicated_service_is_refused(client, mondays, tmp_path):
    document = export(client)
    document["contents"].append(document["contents"][0])
    error = refused(write(tmp_path, document))
    key = mondays.translation_key
    assert f"service 2 (id {key}), $.contents[1].id: service 1 (id {key}) has the same id." in error


def test_a_synchronised_value_is_refused_with_a_locale(client, translated, tmp_path):
    document = export(client, locale="fr")
    service = document["contents"][0]
    set_phone(service, "+3225551234")
    attribute(service, "slug").update(value="ligne-116000")
    before = counts()
    error = refused(write(tmp_path, document), "--locale", "fr", "--publish")
    assert (
        "$.contents[0].attributes[0].value: slug is synchronised from the nl version, which has "
        "“child-focus-116000” (the file has “ligne-116000”): change it there, importing without --locale."
    ) in error
    assert (
        "$.contents[0].contacts[0].phones[0].number: contact value is synchronised from the nl version, "
        "which has “116000” (the file has “+3225551234”)"
    ) in error
    assert counts() == before


@pytest.mark.parametrize(
    ("content_bytes", "message"),
    [
        (b"not json", "is not JSON: Expecting value (line 1, column 1). Nothing was written."),
        (b'{"id": ', "is not JSON: Expecting value (line 1, column 8). Nothing was written."),
        (b"\xff\xfe{}", "is not UTF-8 (invalid byte at offset 0). Nothing was written."),
        (b"42", "$: The file holds no HSDS service"),
    ],
)
def test_a_file_that_is_not_hsds_json_is_refused(mondays, tmp_path, content_bytes, message):
    path = tmp_path / "services.json"
    path.write_bytes(content_bytes)
    before = counts()
    assert message in refused(path, "--publish")
    assert counts() == before


def test_bad_arguments_are_refused(mondays, tmp_path, client):
    path = write(tmp_path, export(client))
    assert refused(tmp_path / "missing.json") == (
        f"Cannot read {tmp_path / 'missing.json'}: No such file or directory. Nothing was written."
    )
    assert "--locale: Unknown locale “xx”; known locales: de, en, fr, nl." in refused(path, "--locale", "xx")
    assert refused(path, "--user", "nobody") == "There is no user “nobody”. Nothing was written."
    get_user_model().objects.create_user("gone", is_active=False)
    assert refused(path, "--user", "gone") == "The user “gone” is inactive. Nothing was written."


def test_locks_reviews_and_permissions_are_respected(client, mondays, tmp_path, editor, reviewer):
    document = export(client)
    document["contents"][0]["name"] = "Hulplijn 116 000"
    path = write(tmp_path, document)
    before = counts()
    assert "The user “eva” may not publish help-lines." in refused(path, "--publish", "--user", "eva")
    HelpLine.get_default_workflow().start(HelpLine.objects.get(pk=mondays.pk), editor)
    assert "“Hulplijn 116000” is in review; import into it once the reviewers have decided." in refused(
        path, "--apply"
    )
    assert counts()[:3] == before[:3]
    # A reviewer may change it while it is in review, as in the admin.
    assert import_hsds(path, "--apply", "--user", "rita")[-1].startswith(
        "Saved as drafts: 0 created, 1 changed"
    )
    assert Revision.objects.filter(user=reviewer).count() == 1


# --- as a separate process, served over real HTTP -----------------------------------------------------------


@pytest.mark.django_db(transaction=False)
def test_an_import_by_another_process_is_served_at_once(tmp_path):
    with deployed("sqlite-without-redis", tmp_path) as deployment:
        base = deployment.bases[0]
        status, document = get(f"{base}{HSDS}/services?full=true")
        assert status == 200
        service = service_named(document, "Hulplijn 116000")
        set_phone(service, "+32 2 555 12 34")
        service["name"] = "Hulplijn 116000 (nieuw nummer)"
        path = write(tmp_path, {"contents": [service]})

        bad = copy.deepcopy(service)
        set_phone(bad, "123")
        refusal = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "import_hsds",
                str(write(tmp_path, [bad], "bad.json")),
                "--publish",
            ],
            cwd=REPOSITORY,
            env=deployment.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert refusal.returncode != 0
        assert "“123” is not a valid phone number for region BE" in refusal.stderr

        report = deployment.manage("import_hsds", str(path))
        assert (
            "  contact point 1: phone “116000” (“Bel gratis 116000, dag en nacht”) → phone “+3225551234”"
            in report
        )
        for server in deployment.bases:
            assert get(f"{server}{HSDS}/services/{service['id']}")[1]["phones"][0]["number"] == "116000"

        deployment.manage("import_hsds", str(path), "--publish", "--user", "admin")
        for server in deployment.bases:
            status, served = get(f"{server}{HSDS}/services/{service['id']}")
            assert status == 200
            assert (served["name"], served["phones"][0]["number"]) == (
                "Hulplijn 116000 (nieuw nummer)",
                "+3225551234",
            )
            assert_valid("service", served)
            status, v1 = get(f"{server}/api/v1/helplines/child-focus-116000/")
            assert (status, v1["name"], v1["contact_points"][0]["value"]) == (
                200,
                "Hulplijn 116000 (nieuw nummer)",
                "+3225551234",
            )
            # The translations follow the Dutch number at once; their texts are their own.
            status, french = get(f"{server}{HSDS}/services/{service['id']}?locale=fr")
            assert (french["name"], french["phones"][0]["number"]) == ("Ligne d'aide 116000", "+3225551234")
        assert mapping.organization_id("Child Focus") == served["organization_id"]
