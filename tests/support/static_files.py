"""WhiteNoise for the suite (`settings/test.py` puts it in WhiteNoise's place): the static files
found through the finders once per process, not once per test client.

Django's test `Client` loads the whole middleware chain anew for every client it makes, and
WhiteNoise with `WHITENOISE_USE_FINDERS` then lists and stats every static file (≈ 15–30 ms,
most of a client's cost, for each client of each test). The files do not change while the
suite runs; the list is found again if the settings the finders read change.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware


class FoundOnceWhiteNoiseMiddleware(WhiteNoiseMiddleware):
    _found: ClassVar[dict[str, dict[str, Any]]] = {}  # by what the finders read: url -> file

    def add_files_from_finders(self) -> None:
        key = repr(
            (
                self.static_prefix,
                settings.STATICFILES_DIRS,
                settings.STATICFILES_FINDERS,
                settings.INSTALLED_APPS,
            )
        )
        if key not in self._found:
            before = set(self.files)
            super().add_files_from_finders()
            self._found[key] = {url: f for url, f in self.files.items() if url not in before}
        self.files.update(self._found[key])
