"""The HSDS 3.0.1 endpoints under ``/api/hsds/v3/`` (read-only).

Invariants:

* Only live, public help-lines, each in the best language of the request's fallback chain: the
  v1 API's rule, through the same selector (``selectors.resolved_snippets``) and the same
  behaviour (``PublicAPIMixin``: ``?locale=`` / Accept-Language with fallback,
  ``Content-Language`` naming the languages of the body, strict query parameters, ETag and
  Cache-Control, problem+json errors). An id that names nothing served is a 404 problem.
* Bodies are HSDS: ``api.hsds.mapping`` builds every item; lists are the HSDS Page envelope.
* A request costs a constant number of queries, whatever the number of help-lines.
* Paths take no trailing slash, as in HSDS; one is accepted too, with the same answer.
* These views are not part of the v1 OpenAPI document (HSDS has its own; ``openapi_url``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.http import Http404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response
from rest_framework.views import APIView

from api import presenters, selectors, values
from api.base import absolute_url
from api.errors import problem_response
from api.hsds import mapping, params
from api.hsds import selectors as hsds_selectors
from api.hsds.pagination import HSDSPage
from api.selectors import Chosen
from api.views import PublicAPIMixin
from cms.snippets.models import HelpLine


@csrf_exempt
def unknown_endpoint(request, *args, **kwargs):
    return problem_response(404, "No such HSDS endpoint; see /api/hsds/v3/ and its openapi_url.")


def _uuid_or_404(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


class HSDSView(PublicAPIMixin, APIView):
    """What every HSDS endpoint shares: help-lines served as the v1 API serves them."""

    cache_families: tuple[str, ...] = ("helplines",)
    params_class: type[params.HSDSParams] = params.HSDSParams
    # The languages of the body, for Content-Language (see serve_languages); None: none.
    served_languages: list[str] | None = None

    def chosen_helplines(self, *, translation_keys: Sequence[uuid.UUID] | None = None) -> list[Chosen]:
        """The visible help-lines in the best language, ordered by name (as the v1 list)."""
        return selectors.resolved_snippets(
            model=HelpLine,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
            translation_keys=translation_keys,
            order_by=("name", "pk"),
        )

    def present(self, chosen: Sequence[Chosen]) -> list[values.HelpLine]:
        return presenters.helplines(chosen, now=self.visibility.now)

    def services(
        self,
        helplines: Sequence[values.HelpLine],
        *,
        source_organisations: dict[uuid.UUID, str],
        full: bool,
        with_organization: bool = True,
    ) -> list[dict]:
        if not full:
            return [
                mapping.service_summary(
                    helpline,
                    source_organisation=source_organisations[helpline.obj.translation_key],
                    with_organization=with_organization,
                )
                for helpline in helplines
            ]
        keys = hsds_selectors.contact_point_keys(helplines=helplines)
        return [
            mapping.service(
                helpline,
                contact_point_keys=keys[helpline.obj.pk],
                source_organisation=source_organisations[helpline.obj.translation_key],
                with_organization=with_organization,
            )
            for helpline in helplines
        ]

    def serve_languages(self, served: Sequence[values.Served], *, first: str | None = None) -> None:
        """``Content-Language``: the languages the body's texts are in, as in v1 (api.languages):
        an object's own language first (``first``), else in a list the requested one when present."""
        found = list(dict.fromkeys(item.locale for item in served))
        lead = first if first is not None else (self.requested if self.requested in found else None)
        if lead is not None:
            found = [lead, *(code for code in found if code != lead)]
        self.served_languages = found


class MetaView(HSDSView):
    """``GET /``: the HSDS version, Baken's profile note and the HSDS API's OpenAPI document."""

    cache_families = ()

    def get(self, request):
        return Response(
            {
                "version": mapping.HSDS_VERSION,
                "profile": absolute_url(request, reverse("hsds:profile")),
                "openapi_url": mapping.OPENAPI_URL,
            }
        )


class ProfileView(HSDSView):
    """``GET /profile``: Baken's HSDS conventions and the vocabularies of its attributes."""

    cache_families = ()

    def get(self, request):
        return Response(mapping.profile(meta_url=absolute_url(request, reverse("hsds:meta"))))


class ServiceListView(HSDSView):
    """``GET /services``: services in the HSDS Page envelope; ``full=true`` nests them fully."""

    params_class = params.ServiceListParams

    def get(self, request):
        chosen = self.chosen_helplines()
        organisations = hsds_selectors.source_organisations(helplines=chosen)
        wanted = self.params.get("organization_id")
        if wanted is not None:
            chosen = [
                item
                for item in chosen
                if mapping.organization_id(organisations[item.obj.translation_key]) == str(wanted)
            ]
        modified_after = self.params.get("modified_after")
        if modified_after is not None:
            chosen = [
                item
                for item in chosen
                if item.obj.last_published_at is not None and item.obj.last_published_at >= modified_after
            ]
        page = HSDSPage(
            total_items=len(chosen), page_number=self.params["page"], per_page=self.params["per_page"]
        )
        helplines = self.present(page.slice(chosen))
        self.serve_languages([helpline.served for helpline in helplines])
        contents = self.services(helplines, source_organisations=organisations, full=self.params["full"])
        return Response(page.envelope(contents))


class ServiceDetailView(HSDSView):
    """``GET /services/{id}``: one fully nested service; its id is the help-line's translation key."""

    def get(self, request, service_id: str):
        chosen = self.chosen_helplines(translation_keys=[_uuid_or_404(service_id)])
        if not chosen:
            raise Http404
        helplines = self.present(chosen)
        organisations = hsds_selectors.source_organisations(helplines=helplines)
        self.serve_languages([helplines[0].served], first=helplines[0].served.locale)
        [service] = self.services(helplines, source_organisations=organisations, full=True)
        return Response(service)


class Organisations:
    """The organisations behind the served help-lines, in name order, each with its help-lines
    (in help-line order). An organisation is named as its first help-line names it."""

    def __init__(self, chosen: Sequence[Chosen], source_organisations: dict[uuid.UUID, str]):
        self.source_organisations = source_organisations
        self.members: dict[str, list[Chosen]] = {}
        for item in chosen:
            organisation_id = mapping.organization_id(source_organisations[item.obj.translation_key])
            self.members.setdefault(organisation_id, []).append(item)
        self.ids = sorted(self.members, key=lambda key: (self.name(key).casefold(), key))

    def name(self, organisation_id: str) -> str:
        return self.members[organisation_id][0].obj.organisation

    def source_name(self, organisation_id: str) -> str:
        return self.source_organisations[self.members[organisation_id][0].obj.translation_key]


class OrganizationListView(HSDSView):
    """``GET /organizations``: organisations in the HSDS Page envelope; ``full=true`` adds their
    services (``full_service=true``: fully nested)."""

    params_class = params.OrganizationListParams

    def get(self, request):
        chosen = self.chosen_helplines()
        organisations = Organisations(chosen, hsds_selectors.source_organisations(helplines=chosen))
        page = HSDSPage(
            total_items=len(organisations.ids),
            page_number=self.params["page"],
            per_page=self.params["per_page"],
        )
        shown = page.slice(organisations.ids)
        if not self.params["full"]:
            self.serve_languages([organisations.members[key][0].served for key in shown])
            contents = [
                mapping.organization_summary(
                    source_organisation=organisations.source_name(key), name=organisations.name(key)
                )
                for key in shown
            ]
            return Response(page.envelope(contents))
        members = [item for key in shown for item in organisations.members[key]]
        helplines = {helpline.obj.pk: helpline for helpline in self.present(members)}
        self.serve_languages([helpline.served for helpline in helplines.values()])
        services = self.services(
            list(helplines.values()),
            source_organisations=organisations.source_organisations,
            full=self.params["full_service"],
            with_organization=False,
        )
        by_pk = dict(zip(helplines, services, strict=True))
        contents = [
            mapping.organization(
                source_organisation=organisations.source_name(key),
                name=organisations.name(key),
                services=[by_pk[item.obj.pk] for item in organisations.members[key]],
            )
            for key in shown
        ]
        return Response(page.envelope(contents))


class OrganizationDetailView(HSDSView):
    """``GET /organizations/{id}``: one organisation with its services (``full_service=true``:
    fully nested)."""

    params_class = params.OrganizationParams

    def get(self, request, organization_id: str):
        wanted = str(_uuid_or_404(organization_id))
        chosen = self.chosen_helplines()
        organisations = Organisations(chosen, hsds_selectors.source_organisations(helplines=chosen))
        if wanted not in organisations.members:
            raise Http404
        helplines = self.present(organisations.members[wanted])
        self.serve_languages([helpline.served for helpline in helplines], first=helplines[0].served.locale)
        services = self.services(
            helplines,
            source_organisations=organisations.source_organisations,
            full=self.params["full_service"],
            with_organization=False,
        )
        return Response(
            mapping.organization(
                source_organisation=organisations.source_name(wanted),
                name=organisations.name(wanted),
                services=services,
            )
        )
