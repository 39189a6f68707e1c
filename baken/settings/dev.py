from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-dev-only-not-for-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP = env.bool("BAKEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP", default=True)
