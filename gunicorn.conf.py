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


# A worker answering one request longer than this is killed. gunicorn's 30 s is too short for
# closing a very large session: the close rewrites every ballot and mark in random order and
# counts them (ballots/storage.py), ~25–50 s for 10,000 ballots × 50 people on 2 cores, and a
# worker killed after the commit leaves the tables' compaction undone. Voter requests take
# milliseconds; a slow client is nginx's to buffer (docs/deployment.md).
timeout = 120


def on_starting(server) -> None:
    """In the master, once the application is loaded and before it listens or forks: keep the
    ballot of every open session (tinnhiem.warmup.keep_ballots: its own connection, closed when
    done; at most a 5 s wait for the database), so that every worker starts with them and its
    first voter waits for no read of the people. (Read by each worker in a thread at its
    start, they cost its first request ~15 ms on 2 cores.)"""
    from tinnhiem.warmup import keep_ballots

    keep_ballots()


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
