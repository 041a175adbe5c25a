"""gunicorn's settings in every production shape: `gunicorn -c python:coopportal.gunicorn_conf coopportal.wsgi:application`.

docker-compose, the Dockerfile, the production-shaped test and the load test (`make loadtest`) all start
gunicorn with this module; command-line options (--bind, --workers) still override it.
"""

from __future__ import annotations

from coopportal.env import env_int, env_str

bind = env_str("GUNICORN_BIND", "0.0.0.0:8000")
workers = env_int("WEB_CONCURRENCY", 2)
worker_class = env_str("GUNICORN_WORKER_CLASS", "gthread")
threads = env_int("GUNICORN_THREADS", 4)
timeout = env_int("GUNICORN_TIMEOUT", 60)
# Sent to the console (docker logs); access lines are left to the proxy in front.
errorlog = "-"
# No control socket (gunicornc): its default path in $HOME is shared by every gunicorn of the user.
control_socket_disable = True
