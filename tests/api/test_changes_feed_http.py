"""The feed's client loop over real HTTP (urllib against pytest-django's live server): a module of
its own, as a committed live-server test cannot share a module with the rolled-back ``site``."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.api.conftest import ApiContent, Site, build_site
from tests.api.test_changes_feed_replay import Client, public_objects
from tests.content import publish
from tests.published_schemas import check_http_answer


@pytest.mark.django_db(transaction=True)
def test_the_client_loop_over_http(live_server, restore_migration_data):
    content = ApiContent()
    site = Site.load(build_site(content))

    def get(path, query):
        url = f"{live_server.url}/api/v1{path}?{urllib.parse.urlencode(query)}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if path == "/changes/":
                    assert response.headers["Cache-Control"] == "private, no-store"
                body = response.read()
                check_http_answer(url, status=response.status, headers=response.headers, body=body)
                return json.loads(body)
        except urllib.error.HTTPError as error:
            check_http_answer(url, status=error.code, headers=error.headers, body=error.read())
            raise

    client = Client(get, "nl")
    client.sync(limit=2)
    assert client.copy == public_objects(get, "nl")
    site.hl_office.unpublish()
    site.faq.title = "Vragen en antwoorden"
    publish(site.faq)
    client.sync(limit=2)
    assert client.copy == public_objects(get, "nl")
    assert ("helpline", str(site.hl_office.translation_key), "nl") not in client.copy
    # A forged token is a 400 problem.
    with pytest.raises(urllib.error.HTTPError) as error:
        get("/changes/", {"since": "forged"})
    assert error.value.code == 400
    assert error.value.headers["Content-Type"] == "application/problem+json"
