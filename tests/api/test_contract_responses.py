"""Every response the API builds with the compiled contract is what DRF's serializers would give.

The views call ``api.contract.represent``/``represent_many``; here the same requests are answered
a second time with DRF's own ``Serializer(value).data`` in their place, and the bodies compared.
"""

import pytest

from api import contract, views

LOCALES = ("nl", "fr", "en", "de")


def requests(site) -> list[tuple[str, dict]]:
    return [
        ("/faqs/", {}),
        ("/faqs/veelgestelde-vragen/", {}),
        ("/campaigns/", {}),
        ("/campaigns/schat-je-schatje/", {}),
        ("/helplines/", {}),
        ("/helplines/child-focus-116000/", {}),
        ("/citations/", {}),
        (f"/citations/{site.cit_lanzarote.pk}/", {}),
        ("/search/", {"q": "116000"}),
        ("/search/", {"q": "meld"}),
    ]


def drf_represent(serializer_class, value):
    return serializer_class(value).data


def drf_represent_many(serializer_class, values):
    return serializer_class(values, many=True).data


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_responses_equal_drf_serializer_output(site, api, monkeypatch, locale):
    compiled = [api.get(path, {**query, "locale": locale}) for path, query in requests(site)]
    monkeypatch.setattr(views, "represent", drf_represent)
    monkeypatch.setattr(views, "represent_many", drf_represent_many)
    for (path, query), first in zip(requests(site), compiled, strict=True):
        second = api.get(path, {**query, "locale": locale})
        assert (first.status_code, second.status_code) == (200, 200), path
        assert first.json() == second.json(), path
    # Real content was compared, not empty lists ("meld" need not match in every language).
    assert all(response.json().get("count", 1) > 0 for response in compiled[:-1])


def test_previews_equal_drf_serializer_output(site, monkeypatch):
    from api import preview

    for obj in (site.faq, site.campaign, site.hl_247, site.cit_lanzarote):
        compiled = preview.representation(obj)
        monkeypatch.setattr(contract, "represent", drf_represent)
        assert preview.representation(obj) == compiled, type(obj).__name__
        monkeypatch.undo()
