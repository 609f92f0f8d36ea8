"""Django's `{# … #}` comment ends on its own line: one that runs over two lines is not a
comment and shows on the page (the operators' figures page showed one)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

OPEN_COMMENT = re.compile(r"\{#(?!.*?#\})")


def test_every_short_comment_in_a_template_closes_on_its_line() -> None:
    open_ones = []
    for path in (Path(settings.REPO_ROOT) / "themes").rglob("*.*"):
        if path.suffix in (".html", ".txt"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if OPEN_COMMENT.search(line):
                    open_ones.append(f"{path.relative_to(settings.REPO_ROOT)}:{number}")
    assert not open_ones, "use {% comment %} … {% endcomment %} over lines: " + ", ".join(open_ones)
