"""Django's model registry for the ``cms`` app; the models themselves live in pages/ and snippets/."""

from cms.change_log.models import ChangeLogEntry, ChangeLogHorizon
from cms.channels.models import Channel, ChannelKey
from cms.pages.models import CampaignHelpLine, CampaignKeyDate, CampaignPage, FAQPage, HomePage
from cms.search_index.models import SearchEntry, SearchIndexState
from cms.snippets.models import (
    CitationType,
    ContactPoint,
    ContactType,
    HelpLine,
    OpeningHours,
    SourceCitation,
)
from cms.webhooks.models import (
    WebhookAttempt,
    WebhookDispatchState,
    WebhookEndpoint,
    WebhookMessage,
    WebhookObjectState,
)

__all__ = [
    "CampaignHelpLine",
    "CampaignKeyDate",
    "CampaignPage",
    "ChangeLogEntry",
    "ChangeLogHorizon",
    "Channel",
    "ChannelKey",
    "CitationType",
    "ContactPoint",
    "ContactType",
    "FAQPage",
    "HelpLine",
    "HomePage",
    "OpeningHours",
    "SearchEntry",
    "SearchIndexState",
    "SourceCitation",
    "WebhookAttempt",
    "WebhookDispatchState",
    "WebhookEndpoint",
    "WebhookMessage",
    "WebhookObjectState",
]
