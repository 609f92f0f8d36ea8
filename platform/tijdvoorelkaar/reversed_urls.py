"""URLs with ids, reversed once per process: `link(name, *ids)` is `reverse(name, args=ids)`
for integer ids, the pattern resolved on the first call (per URLconf and script prefix) and
the ids written into it afterwards. A staff page with twenty links about one participant
reversed each of them on every request (≈ 0.1 ms of CPU each). `links(name)` is `link` for
the rows of a list: the pattern looked up once, not once per row (finding the URLconf and the
script prefix reads two context-locals, ≈ 5 µs a link); `named_links(names, *ids)` is `link`
for many patterns with the same ids, the URLconf and script prefix looked up once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Stands for the n-th id while reversing: no URL contains such a number of its own.
_MARKER = 7_300_000_001


def link(name: str, *ids: int) -> str:
    """`reverse(name, args=ids)`, with the pattern reversed once per process."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _pattern(urlconf, get_script_prefix(), name, len(ids)).format(*map(int, ids))


def links(name: str, count: int = 1) -> Callable[..., str]:
    """`link(name, *ids)` as a function of the `count` ids, for the rows of one list."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    pattern = _pattern(urlconf, get_script_prefix(), name, count)
    return lambda *ids: pattern.format(*map(int, ids))


def named_links(names: Mapping[str, str], *ids: int) -> dict[str, str]:
    """`{key: link(name, *ids)}` for each key and URL name of `names`."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefix, numbers = get_script_prefix(), tuple(map(int, ids))
    return {
        key: _pattern(urlconf, prefix, name, len(numbers)).format(*numbers)
        for key, name in names.items()
    }


@functools.cache
def _pattern(urlconf: str, script_prefix: str, name: str, count: int) -> str:  # prefix: a key
    """The reversed URL as a `str.format` pattern with a `{n}` for each id."""
    markers = [str(_MARKER + n) for n in range(count)]
    url = reverse(name, args=markers, urlconf=urlconf).replace("{", "{{").replace("}", "}}")
    for n, marker in enumerate(markers):
        if url.count(marker) != 1:
            raise ValueError(f"{name}: argument {n} is not written once into its URL")
        url = url.replace(marker, f"{{{n}}}")
    return url
