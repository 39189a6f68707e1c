"""``GET /api/v1/changes/``: the delta-sync feed over HTTP.

Invariants:

* Never answered from or stored in the shared response cache: the view is a plain
  ``PublicAPIView`` (not ``PublicAPIMixin``, whose dispatch goes through the cache), it never marks
  a response for storage, and every answer is ``Cache-Control: private, no-store`` — the answer
  at a token's URL changes with every write and with the clock, so no stored copy is ever right
  to reuse, and tokens are a client's own position.
* Parameters are validated like every endpoint's (unknown ones are a 400); a token that this API
  did not issue, or issued for another locale, is a 400 naming ``since``; a token older than the
  compacted log (or than the locale configuration) is a 410 whose ``restart`` is a fresh sync.
* Due scheduled revisions are published first (api.scheduling), as every endpoint does, so their
  publication is in the log window this answer reads.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from api import params, scheduling, selectors
from api.base import PublicAPIView, absolute_url
from api.contract import represent
from api.errors import PROBLEM_CONTENT_TYPE, InvalidParameters, problem
from api.feed import paging, tokens
from api.feed.params import ALL_LOCALES, ChangesParams
from api.feed.selectors import Scope
from api.feed.values import ChangesPage
from api.languages import choose_language, content_languages
from api.serializers import ChangesSerializer
from api.views import ACCEPT_LANGUAGE, ERRORS, ProblemSerializer
from cms.change_log import ChangesCompacted


class ChangesGoneSerializer(ProblemSerializer):
    """The 410 problem: the token is older than the compacted change log."""

    restart = serializers.URLField(help_text="A fresh initial sync (the same query without `since`).")


NOT_A_FEED_POSITION = (
    "Not a token of this feed (malformed or altered); use `next` as given, or start again without since."
)
OTHER_LOCALE = (
    "This token was issued for locale={locale}; ask with that locale, or start again without since."
)
GONE_DETAIL = (
    "This token is older than the compacted change log (or the API's locales changed), so the "
    "changes after it can no longer be listed. Discard your copy and start a fresh sync without "
    "`since`: {restart}"
)


@extend_schema(tags=["changes"])
class ChangesView(PublicAPIView):
    """Delta-sync feed: an initial sync of everything public, then every change after a token."""

    @extend_schema(
        operation_id="changes",
        parameters=[ChangesParams, ACCEPT_LANGUAGE],
        responses={
            200: ChangesSerializer,
            **ERRORS,
            (410, "application/problem+json"): ChangesGoneSerializer,
        },
        description=(
            "Without `since`: an initial sync, page by page (upserts of every public object). With "
            "`since` (the previous answer's `next_token`, or just follow `next`): every change after "
            "it — upserts (the object's representation in the item's locale, as its detail endpoint "
            "serves it) and tombstones with a `reason` for anything no longer public — including "
            "scheduled go-lives and expiries at their moment. Fetch `next` again at once while `more` "
            "is true; then poll it. A 410 means: discard your copy and start again without `since`."
        ),
    )
    def get(self, request):
        query = params.validate_params(ChangesParams, request.query_params)
        if query.get("locale") == ALL_LOCALES:
            scope_name, scope = ALL_LOCALES, Scope(locale=None)
        else:
            language = choose_language(
                locale_param=query.get("locale"), accept_language=request.headers.get("Accept-Language", "")
            )
            scope_name, scope = language.code, Scope(locale=language.code)
        restart = self._url(request, query, token=None)
        token = self._token(query.get("since"), scope_name=scope_name)
        if token is not None and token.configuration != tokens.configuration():
            return self._gone(restart)
        now = timezone.now()
        scheduling.publish_if_due(now=now, versions=None)
        visibility = selectors.current_visibility(now=now)
        if token is None:
            token = paging.start(scope_name=scope_name, visibility=visibility)
        try:
            result = paging.answer(
                token=token,
                scope=scope,
                visibility=visibility,
                limit=query["limit"],
                absolute=lambda path: absolute_url(request, path),
            )
        except ChangesCompacted:
            return self._gone(restart)
        next_token = tokens.issue(result.next)
        page = ChangesPage(
            mode=result.mode,
            more=result.more,
            next=self._url(request, query, token=next_token),
            next_token=next_token,
            results=tuple(result.results),
        )
        body = represent(ChangesSerializer, page)
        response = Response(body)
        languages = content_languages(body, requested=scope_name)
        if languages:
            response["Content-Language"] = ", ".join(languages)
        return response

    def _token(self, text: str | None, *, scope_name: str) -> tokens.Token | None:
        if text is None:
            return None
        try:
            token = tokens.read(text)
        except tokens.InvalidToken:
            raise InvalidParameters({"since": NOT_A_FEED_POSITION}) from None
        if token.scope != scope_name:
            raise InvalidParameters({"since": OTHER_LOCALE.format(locale=token.scope)})
        return token

    @staticmethod
    def _url(request, query: dict, *, token: str | None) -> str:
        parameters = {}
        if "locale" in request.query_params:
            parameters["locale"] = query["locale"]
        if "limit" in request.query_params:
            parameters["limit"] = query["limit"]
        if token is not None:
            parameters["since"] = token
        path = reverse("api:changes")
        return absolute_url(request, path) + (
            f"?{urlencode(sorted(parameters.items()))}" if parameters else ""
        )

    @staticmethod
    def _gone(restart: str) -> JsonResponse:
        body = problem(
            410, detail=GONE_DETAIL.format(restart=restart), type_name="changes-compacted", restart=restart
        )
        response = JsonResponse(body, status=410, content_type=PROBLEM_CONTENT_TYPE)
        response["Cache-Control"] = "private, no-store"
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        vary = [value.strip() for value in response.get("Vary", "").split(",") if value.strip()]
        if "Accept-Language" not in vary:
            response["Vary"] = ", ".join([*vary, "Accept-Language"])
        response["Cache-Control"] = "private, no-store"
        return response
