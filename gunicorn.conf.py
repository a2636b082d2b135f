"""gunicorn settings for tinnhiem: `make run` names it, and gunicorn reads it by itself when
started in this folder (bench/, tests/faults/ and a hand-typed `gunicorn tinnhiem.wsgi`).

The access and error logs go through tinnhiem.logs.AccessLogger: no line for a request to or
from the voter pages (/b/…), no voter id in a check-in URL, no query string. See
docs/deployment.md for the reverse proxy's part.
"""

logger_class = "tinnhiem.logs.AccessLogger"
