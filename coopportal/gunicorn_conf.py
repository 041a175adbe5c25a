"""gunicorn's settings in every production shape: `gunicorn -c python:coopportal.gunicorn_conf coopportal.wsgi:application`.

docker-compose, the Dockerfile, the production-shaped test and the load test (`make loadtest`) all start
gunicorn with this module; command-line options (--bind, --workers) still override it.
"""

from __future__ import annotations

import gc

from coopportal.env import env_int, env_str

bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
workers = env_int("WEB_CONCURRENCY", 2)
worker_class = env_str("GUNICORN_WORKER_CLASS", "gthread")
threads = env_int("GUNICORN_THREADS", 4)
# A gthread worker accepts every connection it can and queues it for its own threads, so with two workers
# each new request joined one of two queues at random; their lengths drifted apart (50 people saving back
# to back: one save waited 0.15 s, another 1.9 s, p95 twice the median).  A worker that takes no more than
# twice its threads leaves the rest in the listen queue the workers share, served first come, first served
# (p95 1.2-1.4 times the median; docs/benchmarks.md, "Stop 23").  A slow client holds one of those slots,
# which is why production has a buffering proxy in front (nginx, README "Deployment").
worker_connections = env_int("GUNICORN_WORKER_CONNECTIONS", 2 * threads)
# No keep-alive: an idle kept-alive connection would hold one of those slots for nothing.  The proxy in
# front speaks to gunicorn one connection per request anyway (nginx's default).
keepalive = 0
timeout = env_int("GUNICORN_TIMEOUT", 60)
# Sent to the console (docker logs); access lines are left to the proxy in front.
errorlog = "-"
# No control socket (gunicornc): its default path in $HOME is shared by every gunicorn of the user.
control_socket_disable = True


def post_worker_init(worker: object) -> None:
    """Keep the loaded app out of the garbage collector's way.

    A worker holds the whole of Django, the URL conf and the compiled templates (about a million objects)
    that live as long as it does; every full collection walked all of them, a pause of tens of milliseconds
    that landed on whichever request was running (pages with a p50 of 100 ms had a p95 of 300).
    `gc.freeze()` moves them to a generation no collection visits; what requests allocate is still
    collected, in fewer, larger first-generation passes (a page allocates some 100,000 objects: at Python's
    700 it collected hundreds of times per request).  Measured: docs/benchmarks.md, "The tail of the pages".
    """
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def post_request(worker: object, req: object, environ: object, resp: object) -> None:
    """Collect what the request left once its answer is sent: between requests rather than in the middle of one.

    Left to the threshold (post_worker_init), the young generation was collected when it passed 50,000
    objects: what earlier requests left (tens to hundreds of objects each) plus what the running request held
    at that moment, which for the big pages is close to 50,000 on its own. So every few requests a collection
    came in the middle of one and walked everything that request was using, to free almost nothing: 18 to
    28 ms on pages of 70 to 90 ms, most of the distance between their p50 and their p95. Collected here, the
    young generation starts every request nearly empty, and a collection walks only what requests left,
    their reference cycles: 0.2 to 2.5 ms (docs/benchmarks.md, "Stop 25").

    gunicorn's gthread worker calls this in the thread that served the request, after the whole response is
    written (its Content-Length, set by CommonMiddleware, tells the client it is complete). Collecting the
    young generation from here keeps it under the threshold, so the collector would never reach the older
    ones by itself: they are collected from here too, when their own thresholds say so.
    """
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[2] > thresholds[2]:
        gc.collect(2)
    elif counts[1] > thresholds[1]:
        gc.collect(1)
    else:
        gc.collect(0)
