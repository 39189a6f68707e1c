import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings.dev")

application = get_wsgi_application()

from baken.warmup import warm_up  # noqa: E402 - needs the settings get_wsgi_application set up

warm_up()
