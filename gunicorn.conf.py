"""gunicorn settings for tinnhiem: `make run` names it, and gunicorn reads it by itself when
started in this folder (bench/, tests/faults/ and a hand-typed `gunicorn tinnhiem.wsgi`).

The access and error logs go through tinnhiem.logs.AccessLogger: no line for a request to or
from the voter pages (/b/…), no voter id in a check-in URL, no query string. See
docs/deployment.md for the reverse proxy's part.
"""

logger_class = "tinnhiem.logs.AccessLogger"

# The application is loaded once, in the master, before the workers are forked: tinnhiem/wsgi.py
# warms it up there (tinnhiem.warmup: URLs, catalogs, templates), so no worker's first request
# is slow. Nothing at load opens a database connection (warm_up closes any), so no connection is
# shared across the fork. A code change needs a restart (SIGHUP re-forks the loaded code).
preload_app = True

# gunicorn 27's control socket defaults to one path in $HOME for every server on the machine:
# a second server (make bench runs several) would take it over and delete it when it stops.
# Nothing here uses it.
control_socket_disable = True


def post_worker_init(worker) -> None:
    """Each worker, once forked, keeps the open sessions' ballots, in a thread so as to answer
    at once (tinnhiem.warmup.warm_worker): its first voter is not slower than the next."""
    from tinnhiem.warmup import warm_worker

    warm_worker()


def when_ready(server) -> None:
    """Say where to go once gunicorn listens, not before (`make run` printed it too early).

    Printed to the terminal rather than logged: it is no request, and the log filters
    (tinnhiem.logs) have nothing to hide in it.
    """
    for listener in server.LISTENERS:
        address = str(listener)
        if address.startswith("http"):
            print(
                f"\n  tinnhiem is running: open {address}/ "
                "and sign in with a demo account above.\n",
                flush=True,
            )
