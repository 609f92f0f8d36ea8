"""Which code is running, as a short name: the same in every process of one deploy, another
after a deploy that changes any code, template or translation. What a cache keeps rendered
(the marketplace's list pages) is kept under it, so a deploy never serves the old templates'
pages. `RELEASE` (the image's tag or commit, set by the deploy) names it; without it, a digest
of the files."""

from __future__ import annotations

import hashlib
from functools import cache

from django.conf import settings

KINDS = {".py", ".html", ".css", ".js", ".svg", ".toml", ".mo"}


@cache
def code_version() -> str:
    if settings.RELEASE:
        return settings.RELEASE
    digest = hashlib.sha256()
    for folder in ("platform", "tenants", "themes"):
        for path in sorted((settings.REPO_ROOT / folder).rglob("*")):
            if path.suffix in KINDS and path.is_file():
                digest.update(path.relative_to(settings.REPO_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
