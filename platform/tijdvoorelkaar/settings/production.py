"""Production: HTTPS only, static files collected and fingerprinted."""

from .base import *  # noqa: F403
from .environment import env_str

SECRET_KEY = env_str("SECRET_KEY")  # required: no default in production
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31_536_000
SECURE_CONTENT_TYPE_NOSNIFF = True
