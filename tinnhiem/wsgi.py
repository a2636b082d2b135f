"""WSGI entry point (gunicorn tinnhiem.wsgi).

After Django is set up, tinnhiem.warmup loads what a first request would (gunicorn.conf.py
preloads this module in the master, so the workers fork with it), and tinnhiem.proxy takes the
client's address from a trusted reverse proxy's X-Forwarded-For (TRUSTED_PROXIES).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.settings")
application = get_wsgi_application()

from tinnhiem.proxy import behind_trusted_proxies  # noqa: E402 - needs the settings set up
from tinnhiem.warmup import warm_up  # noqa: E402

warm_up()
application = behind_trusted_proxies(application)
