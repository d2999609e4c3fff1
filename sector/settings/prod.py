"""Production: everything from the environment; refuses to start without a secret key or hosts."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, FIELD_ENCRYPTION_KEYS, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated host names).")
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be set in production (Fernet keys, comma-separated, newest first); "
        "it encrypts the outbound destinations' secrets. See the README."
    )
