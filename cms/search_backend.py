"""Wagtail's database search backend, with each object indexed and searched in its own language.

On PostgreSQL, full-text search stems words by a text-search configuration: Dutch text must be
indexed with ``dutch`` and French with ``french``. The stock backend uses one configuration for
everything; this one picks it from the object's locale when indexing, and the API searches with
the configuration of the requested language. Other databases get the stock backend.
"""

import copy
from collections import defaultdict

from django.db import connection
from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend

# PostgreSQL's built-in text-search configurations, by language code.
POSTGRES_CONFIGS = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}


def config_for(language_code: str | None, default: str | None) -> str | None:
    return POSTGRES_CONFIGS.get((language_code or "").split("-")[0], default)


def SearchBackend(params):  # the name Wagtail looks up in a backend module
    if connection.vendor != "postgresql":
        return DatabaseSearchBackend(params)
    from modelsearch.backends.database.postgres.postgres import PostgresIndex, PostgresSearchBackend

    class LanguageAwareIndex(PostgresIndex):
        def add_items(self, model, objs):
            groups = defaultdict(list)
            for obj in objs:
                locale = getattr(obj, "locale", None)
                groups[config_for(getattr(locale, "language_code", None), self.backend.config)].append(obj)
            shared_backend = self.backend
            try:
                for config, group in groups.items():
                    self.backend = shared_backend.for_config(config)
                    super().add_items(model, group)
            finally:
                self.backend = shared_backend

    class LanguageAwarePostgresSearchBackend(PostgresSearchBackend):
        index_class = LanguageAwareIndex

        def for_config(self, config: str | None):
            backend = copy.copy(self)
            backend.config = config
            return backend

        def for_language(self, language_code: str):
            return self.for_config(config_for(language_code, self.config))

    return LanguageAwarePostgresSearchBackend(params)
