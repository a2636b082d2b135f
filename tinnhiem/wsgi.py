"""WSGI entry point (gunicorn tinnhiem.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinnhiem.settings")
application = get_wsgi_application()
