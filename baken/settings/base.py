"""Settings shared by every environment.

The environment is read here and only here, through ``env``; the per-environment
modules decide which values are required.
"""

import datetime as dt
from pathlib import Path

import environ
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "cms",
    "api",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CORS, the channel key and the rate limit are decided for every API request, cached answer
    # or not, and are never part of a cached entry (api/cors.py, api/channel_access.py,
    # api/rate_limits/).
    "api.cors.PublicAPICorsMiddleware",
    "api.channel_access.ChannelKeyMiddleware",
    "api.rate_limits.middleware.RateLimitMiddleware",
    # Then a cached API answer skips everything below.
    "api.response_cache.middleware.CachedResponseMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a refused publish in the admin rolls its request back and says why.
    "cms.translation_gate.AdminTransactionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.middleware.DatabaseOutageMiddleware",
    # Last, as django-axes requires: it answers locked-out login attempts.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing on the admin login: 5 failures for one user from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("BAKEN_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("BAKEN_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The admin needs inline scripts and styles (Wagtail, Draftail, Swagger UI); everything else is
# restricted to this origin, and no other site may frame these pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

ROOT_URLCONF = "baken.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "baken.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes on one file (servers, a worker, management commands): readers never block
    # the writer (WAL), a transaction takes the write lock when it begins, so it waits for another
    # writer instead of failing half-way ("database is locked"), and waits long enough.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("BAKEN_CACHE_PREFIX", default="baken"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "baken",
        }
    }

# --- Channels: CORS (django-cors-headers; api/cors.py) ------------------------------------------
# Origins of active channels are allowed from the registry (Settings → Channels); this list adds
# origins allowed for every channel, e.g. BAKEN_CORS_ALLOWED_ORIGINS=https://www.example.org.
CORS_ALLOWED_ORIGINS = env.list("BAKEN_CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_HEADERS = ("accept", "accept-language", "authorization", "if-modified-since", "if-none-match")
CORS_EXPOSE_HEADERS = (
    "Content-Language",
    "ETag",
    "Last-Modified",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
)
# How long a browser may reuse a preflight's answer: a removed origin is refused within this.
CORS_PREFLIGHT_MAX_AGE = 600


# --- Rate limits (api/rate_limits/) -------------------------------------------------------------
# Each policy is "QUOTA/WINDOW": a client may spend QUOTA cost units at once, and the bucket
# refills continuously at QUOTA units per WINDOW seconds (api/rate_limits/gcra.py; a search costs
# 5, the changes feed 3, a list 2, anything else 1). Anonymous clients are counted per address,
# channels per channel with their own policy (Settings → Channels).
def _rate_limit(name: str, default: str) -> tuple[int, int]:
    value = env(name, default=default)
    quota, slash, window = value.partition("/")
    if not (slash and quota.isdigit() and window.isdigit() and int(quota) >= 5 and int(window) >= 1):
        raise ImproperlyConfigured(
            f"{name}={value!r}: expected QUOTA/WINDOW, whole numbers, a quota of at least 5 units "
            "(what a search costs) and a window of at least 1 second, e.g. 100/10"
        )
    return int(quota), int(window)


BAKEN_RATE_LIMITS_ENABLED = env.bool("BAKEN_RATE_LIMITS_ENABLED", default=True)
BAKEN_RATE_LIMITS = {
    "anonymous": _rate_limit("BAKEN_RATE_LIMIT_ANONYMOUS", "100/10"),
    "standard": _rate_limit("BAKEN_RATE_LIMIT_STANDARD", "500/10"),
    "high": _rate_limit("BAKEN_RATE_LIMIT_HIGH", "2000/10"),
}
# How many proxies in front append to X-Forwarded-For (0: the socket's address is the client's).
BAKEN_TRUSTED_PROXIES = env.int("BAKEN_TRUSTED_PROXIES", default=0)
# Without Redis, the counters of every process on this machine live in this SQLite file.
BAKEN_RATE_LIMIT_FILE = env("BAKEN_RATE_LIMIT_FILE", default=str(BASE_DIR / "var" / "rate-limits.sqlite3"))

# Publish webhooks (cms/webhooks, delivered by `manage.py webhook_worker`) go to https addresses
# on the public internet only; development and tests may also send to http://127.0.0.1.
BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP = env.bool("BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP", default=False)
# How long a worker holds the events it is delivering; one killed mid-delivery lets them go then.
BAKEN_WEBHOOKS_CLAIM_SECONDS = env.int("BAKEN_WEBHOOKS_CLAIM_SECONDS", default=60)
# Delivered, failed and cancelled events stay in the delivery log this long.
BAKEN_WEBHOOKS_KEEP_DAYS = env.int("BAKEN_WEBHOOKS_KEEP_DAYS", default=30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -----------------------------------------------------------------
# Content locales come from one setting; the first is the default. A deployment
# adds a locale by extending BAKEN_LOCALES; the next `migrate` creates its Locale
# (cms/signal_handlers.py, on post_migrate).
BAKEN_LOCALES = env.list("BAKEN_LOCALES", default=["nl", "fr", "en", "de"])
BAKEN_DEFAULT_LOCALE = BAKEN_LOCALES[0]
# Where a locale falls back to when an object has no live translation in it,
# e.g. BAKEN_LOCALE_FALLBACKS="de=en;nl,fr=nl". Unlisted locales fall back to the default.
BAKEN_LOCALE_FALLBACKS = {
    code: [fallback for fallback in chain.split(";") if fallback]
    for code, chain in env.dict("BAKEN_LOCALE_FALLBACKS", default={}).items()
}

LANGUAGE_CODE = BAKEN_DEFAULT_LOCALE
USE_I18N = True
WAGTAIL_I18N_ENABLED = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = WAGTAILADMIN_PERMITTED_LANGUAGES = [
    (code, LANG_INFO.get(code, {}).get("name_local", code)) for code in BAKEN_LOCALES
]
TIME_ZONE = "Europe/Brussels"
USE_TZ = True
BAKEN_DEFAULT_TIME_ZONE = "Europe/Brussels"
BAKEN_DEFAULT_PHONE_REGION = env("BAKEN_DEFAULT_PHONE_REGION", default="BE")

# --- Static and media ----------------------------------------------------------------
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail -------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Baken"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {
    # The database backend; on PostgreSQL each language is stemmed with its own configuration.
    "default": {"BACKEND": "cms.search_backend"},
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
WAGTAIL_MODERATION_ENABLED = True
# A new translation stays a draft until a translator has translated and published it: a copy
# still holding the Dutch text must never go live as French or German.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation is off unless configured, e.g. BAKEN_DEEPL_API_KEY for DeepL.
if env("BAKEN_DEEPL_API_KEY", default=""):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": env("BAKEN_DEEPL_API_KEY")},
    }
WAGTAIL_WORKFLOW_ENABLED = True
# The admin loads nothing from other sites (the Content-Security-Policy above would block it and
# fill the console with errors): avatars are the ones editors upload, or Wagtail's local default,
# never Gravatar; and the dashboard does not ask wagtail.org for new releases (upgrades follow
# requirements.txt, reviewed like any other change).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- API -----------------------------------------------------------------------------
# Only what drf-spectacular needs globally. The public API's own rules (no authentication, no
# parsers, JSON only, problem+json errors) are set on its views (api/base.py), so DRF views of the
# admin, such as wagtail-localize's translation editor, keep DRF's defaults.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Baken public content API",
    "DESCRIPTION": (
        "Read-only API for FAQ pages, help-lines and source citations of child-protection "
        "campaigns, in the reader's language. Only live, published, public content is served."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "OAS_VERSION": "3.1.0",
    "PREPROCESSING_HOOKS": ["api.schema.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Before the rate limit's: the answers it adds get the RateLimit fields too.
        "api.schema.conditional_requests",
        "api.schema.rate_limit_headers",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"CitationTypeEnum": "api.serializers.CITATION_TYPES"},
}

# Cache-Control of public API responses (seconds).
BAKEN_API_CACHE_MAX_AGE = env.int("BAKEN_API_CACHE_MAX_AGE", default=60)
BAKEN_API_CACHE_STALE_WHILE_REVALIDATE = env.int("BAKEN_API_CACHE_STALE_WHILE_REVALIDATE", default=300)
BAKEN_API_CACHE_STALE_IF_ERROR = env.int("BAKEN_API_CACHE_STALE_IF_ERROR", default=86400)

# Headless preview: the campaign site that renders drafts, per admin host ("default" for any),
# e.g. BAKEN_PREVIEW_CLIENT_URLS="default=https://www.schatjeschatje.be/preview".
BAKEN_PREVIEW_CLIENT_URLS = env.dict("BAKEN_PREVIEW_CLIENT_URLS", default={})


def preview_frame_sources(urls: dict) -> list[str]:
    """The admin's CSP frame-src: this origin and the campaign sites that render previews."""
    from urllib.parse import urlsplit

    origins = {f"{parts.scheme}://{parts.netloc}" for parts in map(urlsplit, urls.values()) if parts.netloc}
    return ["'self'", *sorted(origins)]


CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] = preview_frame_sources(BAKEN_PREVIEW_CLIENT_URLS)
BAKEN_PREVIEW_TTL_SECONDS = env.int("BAKEN_PREVIEW_TTL_SECONDS", default=3600)

# The public base URL of the API, e.g. https://content.example.org (without /api/v1/): absolute
# URLs in response bodies (next, previous, the index) start with it, whatever Host a request
# names (api/base.py: public_origin); unset, they start with the request's validated host.
# It also names the URLs a CDN purge sends.
BAKEN_PUBLIC_API_BASE_URL = env("BAKEN_PUBLIC_API_BASE_URL", default="")
# CDN purge on publish (off by default): BAKEN_PUBLIC_API_BASE_URL and a Wagtail frontend-cache
# backend, e.g. BAKEN_CDN_PURGE_LOCATION=http://varnish:8000 (HTTP PURGE) or
# BAKEN_CDN_CLOUDFLARE_ZONE_ID + BAKEN_CDN_CLOUDFLARE_TOKEN.
WAGTAILFRONTENDCACHE = {}
if env("BAKEN_CDN_PURGE_LOCATION", default=""):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("BAKEN_CDN_PURGE_LOCATION"),
    }
if env("BAKEN_CDN_CLOUDFLARE_ZONE_ID", default=""):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": env("BAKEN_CDN_CLOUDFLARE_ZONE_ID"),
        "BEARER_TOKEN": env("BAKEN_CDN_CLOUDFLARE_TOKEN"),
    }

# Shared cache of rendered API responses (see api/response_cache/).
BAKEN_API_RESPONSE_CACHE = env.bool("BAKEN_API_RESPONSE_CACHE", default=True)
BAKEN_API_RESPONSE_CACHE_ALIAS = "default"
BAKEN_API_RESPONSE_CACHE_TIMEOUT = env.int("BAKEN_API_RESPONSE_CACHE_TIMEOUT", default=300)
# Derived lookups (which subtrees are hidden, list counts) remembered per content version, in the
# same shared cache, whether or not responses are cached.
BAKEN_API_MEMOS = env.bool("BAKEN_API_MEMOS", default=True)
# Per process: recently served entries kept in memory, so a hit only fetches the versions.
BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES = env.int("BAKEN_API_RESPONSE_CACHE_LOCAL_BYTES", default=32 << 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
