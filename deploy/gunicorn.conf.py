"""Gunicorn settings for the demo and production (override with GUNICORN_* variables).

The listen address is given on the command line (`--bind`): the demo passes its port, the
container image `0.0.0.0:8000`. Without one, gunicorn listens on 127.0.0.1:8000 only.
"""

import os

# Every worker process serves all neighbourhoods. Django keeps one database connection per
# thread, so an instance opens up to workers × threads connections.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 10
max_requests = 2000  # recycle workers now and then: keeps memory flat
max_requests_jitter = 200  # so that workers do not all restart at once
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") == "1" else None
# The path without its query string: searches (a participant's phone number in the broker's
# search, words residents look for) stay out of the log. Tokens in paths are masked by
# tenants/market/redaction.py.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

# Falls back to the local (debug) settings when unset, unlike wsgi.py, which falls back to
# production: deployments must set DJANGO_SETTINGS_MODULE (the image does).
settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "tijdvoorelkaar.settings.production")
raw_env = [f"DJANGO_SETTINGS_MODULE={settings_module}"]


# Metrics (docs/operations.md#metrics): with PROMETHEUS_MULTIPROC_DIR set, each worker writes
# its figures there and /metrics adds them up. Files of a previous run would be added too, so
# the folder is emptied at start; a worker that exits takes its live gauges with it.
def on_starting(server):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server, worker):  # noqa: ANN001, ANN201 - gunicorn's hook signature
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
