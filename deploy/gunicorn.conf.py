"""Gunicorn settings for the demo and production (override with GUNICORN_* variables)."""

import os

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 10
max_requests = 2000  # recycle workers now and then: keeps memory flat
max_requests_jitter = 200
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG") == "1" else None
settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "tijdvoorelkaar.settings.local")
raw_env = [f"DJANGO_SETTINGS_MODULE={settings_module}"]
