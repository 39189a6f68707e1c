from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, env, preview_frame_sources

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-dev-only-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The admin's "Campaign site" preview shows the reference campaign page (reference-site/), which
# `make run` serves on the next port and tells here.
BAKEN_PREVIEW_CLIENT_URLS = env.dict(
    "BAKEN_PREVIEW_CLIENT_URLS", default={"default": "http://127.0.0.1:8001/"}
)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] = preview_frame_sources(BAKEN_PREVIEW_CLIENT_URLS)
BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP = env.bool("BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP", default=True)
