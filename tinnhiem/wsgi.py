"""WSGI entry point (gunicorn tinnhiem.wsgi).

tinnhiem.proxy takes the client's address from a trusted reverse proxy's X-Forwarded-For
(TRUSTED_PROXIES).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.settings")
application = get_wsgi_application()

from tinnhiem.proxy import behind_trusted_proxies  # noqa: E402 - needs the settings set up

application = behind_trusted_proxies(application)
