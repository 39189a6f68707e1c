"""Public read API v1 views. Query logic lives in ``api.selectors``; shapes in ``api.serializers``."""

import datetime as dt

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from api import (
    conditional,
    csl,
    params,
    presenters,
    preview,
    response_cache,
    scheduling,
    selectors,
)
from api.base import (
    PublicAPIBehaviour,
    PublicAPIView,
    PublicJSONRenderer,
    PublicLinks,
    QualityContentNegotiation,
    absolute_url,
)
from api.contract import represent, represent_many
from api.errors import problem_response
from api.languages import choose_language, content_languages, fallback_chain
from api.pagination import Page
from api.search import search_questions
from api.serializers import (
    CampaignSerializer,
    CitationSerializer,
    FAQDetailSerializer,
    FAQSummarySerializer,
    HelpLineSerializer,
    IndexSerializer,
    LocalesSerializer,
    PreviewSerializer,
    SearchResultSerializer,
)
from cms.pages.models import FAQPage
from cms.search_index import maintenance as search_index
from cms.snippets.models import HelpLine, SourceCitation

CSL_MEDIA_TYPE = csl.CSL_MEDIA_TYPE
_CSL_DATE = {"type": "object", "properties": {"date-parts": {"type": "array", "items": {"type": "array"}}}}
_CSL_NAME = {
    "type": "object",
    "properties": {"family": {"type": "string"}, "given": {"type": "string"}, "literal": {"type": "string"}},
}
CSL_SCHEMA = {
    "type": "array",
    "description": "CSL-JSON items (valid against the CSL data schema).",
    "items": {
        "type": "object",
        "required": ["id", "type", "title"],
        "properties": {
            "id": {"type": "string"},
            "type": {"type": "string", "enum": sorted(set(csl.CSL_TYPES.values()))},
            "title": {"type": "string"},
            "language": {"type": "string", "description": "The language of `title` (BCP 47)."},
            "original-title": {
                "type": "string",
                "description": "The source's title in its own language, when `title` is a translation.",
            },
            "author": {"type": "array", "items": _CSL_NAME},
            "publisher": {"type": "string"},
            "URL": {"type": "string"},
            "issued": _CSL_DATE,
            "accessed": _CSL_DATE,
            "note": {"type": "string"},
        },
    },
}


class CSLRenderer(PublicJSONRenderer):
    """CSL-JSON for a client whose ``Accept`` prefers it (the citations endpoints only)."""

    media_type = CSL_MEDIA_TYPE
    format = "csl"


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, served as application/problem+json."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = inline_serializer(
        name="InvalidParam",
        fields={"name": serializers.CharField(), "reason": serializers.CharField()},
        many=True,
        required=False,
    )


PROBLEM = (ProblemSerializer, "application/problem+json")
ERRORS = {
    (400, "application/problem+json"): ProblemSerializer,
    # A wrong, revoked or expired channel key (api/channel_access.py).
    (401, "application/problem+json"): ProblemSerializer,
    # Past the client's rate limit (api/rate_limits/): with Retry-After and the RateLimit fields.
    (429, "application/problem+json"): ProblemSerializer,
    (405, "application/problem+json"): ProblemSerializer,
}
DETAIL_ERRORS = {**ERRORS, (404, "application/problem+json"): ProblemSerializer}
ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="Preferred languages (RFC 4647 lookup); ignored when ?locale= is given.",
)


class SchemaView(PublicAPIBehaviour, SpectacularAPIView):
    """The OpenAPI document (YAML or JSON by ``Accept``); its errors are problem+json like the rest."""

    schema = None
    renderer_classes = SpectacularAPIView.renderer_classes


class DocsView(PublicAPIBehaviour, SpectacularSwaggerView):
    """Swagger UI for the OpenAPI document."""

    schema = None
    renderer_classes = SpectacularSwaggerView.renderer_classes


def _prefetched(request) -> list | None:
    """The shared content versions the rate limit read with its count (api.rate_limits), if any."""
    return getattr(getattr(request, "_request", request), "baken_prefetched_versions", None)


@csrf_exempt
def unknown_endpoint(request, *args, **kwargs):
    return problem_response(404, "No such API endpoint; see /api/v1/ for the list.")


def paginated(item_serializer, name: str):
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item_serializer(many=True),
        },
    )


class PublicAPIMixin(PublicAPIBehaviour):
    """Language negotiation, visibility and response headers shared by every endpoint."""

    # Query parameters each action accepts; anything else is a 400.
    params_class: type[params.BaseParams] = params.BaseParams
    list_params_class: type[params.BaseParams] = params.ListParams

    # Content families a response is built from; their versions key the shared response cache.
    cache_families: tuple[str, ...] = response_cache.FAMILIES

    def dispatch(self, request, *args, **kwargs):
        if response_cache.enabled() and request.method in ("GET", "HEAD"):
            return self._dispatch_through_cache(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def _dispatch_through_cache(self, request, *args, **kwargs):
        # Hits are answered by api.response_cache.middleware; a miss is stored there,
        # under the versions read here, before the database was.
        self.versions = response_cache.current_versions(prefetched=_prefetched(request))
        response = super().dispatch(request, *args, **kwargs)
        # A 200 went through initial(), which sets valid_until to a moment when the cache is enabled.
        if self.versions is not None and response.status_code == 200 and self.valid_until is not None:
            response_cache.mark_for_storage(
                response,
                key=response_cache.request_entry_key(request),
                versions={family: self.versions[family] for family in self.cache_families},
                valid_until=self.valid_until,
                transition=self.transition,
            )
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return  # answered 405 by dispatch; its query is not worth judging
        self.params = params.validate_params(self.get_params_class(), request.query_params)
        self.language = choose_language(
            locale_param=self.params.get("locale"),
            accept_language=request.headers.get("Accept-Language", ""),
        )
        now = timezone.now()
        versions = getattr(self, "versions", None)
        if versions is None:
            versions = self.versions = response_cache.current_versions(prefetched=_prefetched(request))
        scheduling.publish_if_due(now=now, versions=versions)
        self.visibility = selectors.current_visibility(now=now, versions=versions)
        # The next change by the clock alone: no cache may keep this answer past it (Cache-Control),
        # and the shared response cache keeps it at most until then (and for at most its timeout).
        self.transition = response_cache.upcoming_transition(versions=versions, now=self.visibility.now)
        self.valid_until = (
            min(
                self.transition,
                self.visibility.now + dt.timedelta(seconds=settings.BAKEN_API_RESPONSE_CACHE_TIMEOUT),
            )
            if response_cache.enabled()
            else None
        )

    def get_params_class(self):
        return self.list_params_class if getattr(self, "action", None) == "list" else self.params_class

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        language = getattr(self, "language", None)
        if language is not None and response.status_code < 400:
            # The language of the body, which is not always the one asked for (fallbacks).
            served = getattr(self, "served_languages", None)
            if served is None:
                served = content_languages(getattr(response, "data", None), requested=language.code)
            if served:
                response["Content-Language"] = ", ".join(served)
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        if "Accept-Language" not in vary:
            response["Vary"] = ", ".join([*vary, "Accept-Language"])
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            return conditional.make_cacheable(request, response, transition=getattr(self, "transition", None))
        response["Cache-Control"] = "private, no-store"
        return response

    @property
    def requested(self) -> str:
        return self.language.code

    @property
    def chain(self):
        return self.language.chain

    def page(self, count: int) -> Page:
        return Page(
            request=PublicLinks(self.request),
            count=count,
            limit=self.params["limit"],
            offset=self.params["offset"],
        )


@extend_schema(tags=["index"])
class IndexView(PublicAPIMixin, APIView):
    """The endpoints of this API."""

    cache_families = ()

    @extend_schema(
        operation_id="index", responses={200: IndexSerializer, **ERRORS}, parameters=[ACCEPT_LANGUAGE]
    )
    def get(self, request):
        names = ["locales", "campaigns", "faqs", "helplines", "citations", "search"]
        endpoints = {name: absolute_url(request, reverse(f"api:{name}-list")) for name in names}
        endpoints["changes"] = absolute_url(request, reverse("api:changes"))
        endpoints["schema"] = absolute_url(request, reverse("api:schema"))
        endpoints["docs"] = absolute_url(request, reverse("api:docs"))
        endpoints["schemas"] = absolute_url(request, reverse("api:schemas-list"))
        return Response({"endpoints": endpoints})


@extend_schema(tags=["locales"])
class LocaleViewSet(PublicAPIMixin, viewsets.ViewSet):
    """The content locales, the default, and each locale's fallback chain."""

    cache_families = ()
    list_params_class = params.BaseParams  # not paginated

    @extend_schema(
        responses={200: LocalesSerializer, **ERRORS}, parameters=[params.BaseParams, ACCEPT_LANGUAGE]
    )
    def list(self, request):
        names = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
        locales = [
            {
                "code": code,
                "name": names.get(code, code),
                "is_default": code == settings.BAKEN_DEFAULT_LOCALE,
                "fallbacks": list(fallback_chain(code)[1:]),
            }
            for code in settings.BAKEN_LOCALES
        ]
        return Response(
            LocalesSerializer({"default": settings.BAKEN_DEFAULT_LOCALE, "locales": locales}).data
        )


@extend_schema(tags=["faqs"])
class FAQViewSet(PublicAPIMixin, viewsets.ViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    list_params_class = params.FAQListParams

    @extend_schema(
        parameters=[params.FAQListParams, ACCEPT_LANGUAGE],
        responses={200: paginated(FAQSummarySerializer, "PaginatedFAQList"), **ERRORS},
    )
    def list(self, request):
        """FAQ pages in the requested language (or its fallback), in site order."""
        pks = selectors.faq_list_pks(
            visibility=self.visibility,
            chain=self.chain,
            campaign=self.params.get("campaign"),
            updated_since=self.params.get("updated_since"),
            versions=self.versions,
        )
        page = self.page(len(pks))
        chosen = selectors.faq_summaries(
            pks=page.slice(pks), visibility=self.visibility, requested=self.requested
        )
        summaries = presenters.faq_summaries(chosen, visibility=self.visibility)
        return page.response(represent_many(FAQSummarySerializer, summaries))

    @extend_schema(
        parameters=[params.BaseParams, ACCEPT_LANGUAGE],
        responses={200: FAQDetailSerializer, **DETAIL_ERRORS},
    )
    def retrieve(self, request, slug=None):
        """One FAQ page by slug (the slug of any of its translations), with questions and answers."""
        chosen, translations = selectors.page_with_translations(
            model=FAQPage,
            slug=slug,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
            content_fields=("intro", "body", "question_count"),
        )
        if chosen is None:
            raise Http404
        detail = presenters.faq_detail(
            chosen,
            campaign=self.visibility.campaign_slug_of(chosen.obj),
            translations=translations,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
        )
        return Response(represent(FAQDetailSerializer, detail))


@extend_schema(tags=["campaigns"])
class CampaignViewSet(PublicAPIMixin, viewsets.ViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"

    @extend_schema(
        parameters=[params.ListParams, ACCEPT_LANGUAGE],
        responses={200: paginated(CampaignSerializer, "PaginatedCampaignList"), **ERRORS},
    )
    def list(self, request):
        """Campaigns with their FAQ pages (summaries) and help-lines."""
        campaigns, translations = selectors.campaigns(
            visibility=self.visibility, chain=self.chain, requested=self.requested
        )
        page = self.page(len(campaigns))
        return page.response(
            represent_many(CampaignSerializer, self._present(page.slice(campaigns), translations))
        )

    @extend_schema(
        parameters=[params.BaseParams, ACCEPT_LANGUAGE], responses={200: CampaignSerializer, **DETAIL_ERRORS}
    )
    def retrieve(self, request, slug=None):
        """One campaign by slug (of any of its translations)."""
        campaigns, translations = selectors.campaigns(
            visibility=self.visibility, chain=self.chain, requested=self.requested, slug=slug
        )
        if not campaigns:
            raise Http404
        [campaign] = self._present(campaigns[:1], translations)
        return Response(represent(CampaignSerializer, campaign))

    def _present(self, campaigns, translations):
        return presenters.campaigns(
            campaigns,
            translations=translations,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
        )


@extend_schema(tags=["helplines"])
class HelpLineViewSet(PublicAPIMixin, viewsets.ViewSet):
    cache_families = ("helplines",)
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"

    @extend_schema(
        parameters=[params.ListParams, ACCEPT_LANGUAGE],
        responses={200: paginated(HelpLineSerializer, "PaginatedHelpLineList"), **ERRORS},
    )
    def list(self, request):
        """Every live help-line, with contact points, availability and ``open_now``."""
        helplines = selectors.resolved_snippets(
            model=HelpLine,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
            order_by=("name", "pk"),
        )
        page = self.page(len(helplines))
        presented = presenters.helplines(page.slice(helplines), now=self.visibility.now)
        return page.response(represent_many(HelpLineSerializer, presented))

    @extend_schema(
        parameters=[params.BaseParams, ACCEPT_LANGUAGE], responses={200: HelpLineSerializer, **DETAIL_ERRORS}
    )
    def retrieve(self, request, slug=None):
        """One help-line by slug (the same in every language)."""
        keys = HelpLine.objects.filter(slug=slug).values_list("translation_key", flat=True)
        found = selectors.resolved_snippets(
            model=HelpLine,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
            translation_keys=keys,
        )
        if not found:
            raise Http404
        return Response(represent(HelpLineSerializer, presenters.helpline(found[0], now=self.visibility.now)))


@extend_schema(tags=["citations"])
class CitationViewSet(PublicAPIMixin, viewsets.ViewSet):
    """Citations as Baken's JSON or as CSL-JSON: by ``?format=csl``, or by ``Accept`` naming
    the CSL media type (JSON when it allows both equally; the response cache never answers a
    request whose Accept names CSL, api.response_cache.middleware)."""

    cache_families = ("citations", "pages")
    lookup_value_regex = r"[0-9]+"
    params_class = params.CitationParams
    list_params_class = params.CitationListParams
    renderer_classes = [PublicJSONRenderer, CSLRenderer]
    content_negotiation_class = QualityContentNegotiation

    @extend_schema(
        operation_id="citations_list",
        parameters=[params.CitationListParams, ACCEPT_LANGUAGE],
        responses={
            200: paginated(CitationSerializer, "PaginatedCitationList"),
            (200, CSL_MEDIA_TYPE): CSL_SCHEMA,
            **ERRORS,
        },
    )
    def list(self, request):
        """Source citations; ``?format=csl`` (or ``Accept: application/vnd.citationstyles.csl+json``)
        gives a CSL-JSON array of the same page of results."""
        citations = selectors.resolved_snippets(
            model=SourceCitation,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
            order_by=("title", "pk"),
        )
        page = self.page(len(citations))
        presented = presenters.citations(page.slice(citations), visibility=self.visibility)
        if self._wants_csl(request):
            return self._csl(presented)
        return page.response(represent_many(CitationSerializer, presented))

    @extend_schema(
        parameters=[params.CitationParams, ACCEPT_LANGUAGE],
        responses={200: CitationSerializer, (200, CSL_MEDIA_TYPE): CSL_SCHEMA, **DETAIL_ERRORS},
    )
    def retrieve(self, request, pk=None):
        """One citation by id (of any of its translations), served in the requested language."""
        if int(pk) > selectors.MAX_ID:
            raise Http404
        found = selectors.resolved_snippets(
            model=SourceCitation,
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
            source_pks=[int(pk)],
        )
        if not found:
            raise Http404
        presented = presenters.citations(found, visibility=self.visibility)
        if self._wants_csl(request):
            return self._csl(presented)
        return Response(represent(CitationSerializer, presented[0]))

    def _wants_csl(self, request) -> bool:
        return self.params["format"] == "csl" or request.accepted_renderer.media_type == CSL_MEDIA_TYPE

    def _csl(self, citations):
        self.served_languages = content_languages(
            [{"locale": citation.served.locale, "is_fallback": None} for citation in citations],
            requested=self.requested,
        )
        originals = selectors.titles_in_source_language(
            citations=[citation.obj for citation in citations], visibility=self.visibility
        )
        items = [
            csl.to_csl(citation, original_title=originals.get(citation.obj.translation_key))
            for citation in citations
        ]
        return Response(items, content_type=CSL_MEDIA_TYPE)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # The body depends on Accept here (CSL-JSON or JSON), for every cache on the way.
        vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
        if "Accept" not in vary:
            response["Vary"] = ", ".join([*vary, "Accept"])
        return response


class PreviewParams(serializers.Serializer):
    token = serializers.CharField(help_text="The signed token the admin's preview gave the campaign site.")


@extend_schema(tags=["preview"])
class PreviewView(PublicAPIView):
    """A draft as the campaign site should render it (headless preview); never cached."""

    @extend_schema(
        operation_id="preview",
        parameters=[PreviewParams],
        responses={
            200: PreviewSerializer,
            **ERRORS,
            (403, "application/problem+json"): ProblemSerializer,
        },
        description="A draft, by kind, in the same shape as the public endpoint's detail.",
    )
    def get(self, request):
        query = params.validate_params(PreviewParams, request.query_params)
        payload = preview.open_preview(query["token"])
        response = Response(payload)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


@extend_schema(tags=["search"])
class SearchViewSet(PublicAPIMixin, viewsets.ViewSet):
    params_class = list_params_class = params.SearchParams

    @extend_schema(
        parameters=[params.SearchParams, ACCEPT_LANGUAGE],
        responses={200: paginated(SearchResultSerializer, "PaginatedSearchResultList"), **ERRORS},
    )
    def list(self, request):
        """Questions and answers matching ``q`` in the requested language, best first."""
        search_index.ensure_current(at_least=self.versions["pages"] if self.versions else None)
        found = search_questions(
            query=self.params["q"],
            visibility=self.visibility,
            chain=self.chain,
            requested=self.requested,
            limit=self.params["limit"],
            offset=self.params["offset"],
        )
        page = self.page(found.count)
        return page.response(represent_many(SearchResultSerializer, found.results))
