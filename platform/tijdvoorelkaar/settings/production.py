"""Production: HTTPS only, static files collected and fingerprinted."""

from .base import *  # noqa: F403
from .environment import env_bool, env_int, env_str

SECRET_KEY = env_str("SECRET_KEY")  # required: no default in production
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# HTTPS only (docs/operations.md, "Security settings"). The health endpoints answer before
# the redirect, so probes over plain HTTP inside the cluster keep working.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
