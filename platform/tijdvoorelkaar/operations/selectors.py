"""What backups there are: per neighbourhood, also of neighbourhoods since deleted (their
dumps remain), newest first. Read from BACKUP_DIR; a name from a URL never becomes a path
unless it matches the stamp pattern."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tijdvoorelkaar.neighbourhoods.blueprint import migration_state
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.naming import SLUG_PATTERN

from .backups import DELETION_DUMP, STAMP

KEY = re.compile(r"(?P<deletion>deletion-)?(?P<stamp>\d{8}-\d{6}-\d{6})")


@dataclass(frozen=True)
class Dump:
    """One backup of a neighbourhood: a backup folder, or the dump its deletion left."""

    slug: str
    key: str
    path: Path  # the folder, or the deletion's .dump file
    written_at: datetime
    size: int  # bytes, photos included
    migration_state: str  # the blueprint fingerprint of the code that wrote it; "" unknown
    matches_code: bool | None  # None: unknown (a deletion's dump does not say)

    @property
    def is_deletion(self) -> bool:
        return self.key.startswith("deletion-")

    @property
    def written_just_now(self) -> bool:  # the page says "just now", not "0 minutes ago"
        return timezone.now() - self.written_at < timedelta(minutes=1)


@dataclass(frozen=True)
class BackedUp:
    """A neighbourhood on the Backups page: live (`neighbourhood`) or deleted (None)."""

    slug: str
    neighbourhood: Neighbourhood | None
    count: int
    newest: datetime | None


def _written(stamp: str) -> datetime:
    return datetime.strptime(stamp, STAMP).replace(tzinfo=timezone.get_current_timezone())


def _folder_dump(slug: str, folder: Path, code_state: str) -> Dump:
    try:
        state = str(json.loads((folder / "registry.json").read_text()).get("migration_state", ""))
    except (ValueError, OSError, AttributeError):
        state = ""
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    matches = (state == code_state) if state else None
    return Dump(slug, folder.name, folder, _written(folder.name), size, state, matches)


def _deletion_dump(slug: str, path: Path, stamp: str) -> Dump:
    key = f"deletion-{stamp}"
    return Dump(slug, key, path, _written(stamp), path.stat().st_size, "", None)


def dumps_of(slug: str) -> list[Dump]:
    """Every backup of the neighbourhood `slug`, newest first."""
    if not SLUG_PATTERN.match(slug):
        return []
    code_state = migration_state()
    found = [
        _folder_dump(slug, marker.parent, code_state)
        for marker in (settings.BACKUP_DIR / slug).glob("*/registry.json")
        if KEY.fullmatch(marker.parent.name)
    ]
    for path in settings.BACKUP_DIR.glob(f"{slug}-*.dump"):
        match = DELETION_DUMP.fullmatch(path.name)
        if match and match["slug"] == slug:
            found.append(_deletion_dump(slug, path, match["stamp"]))
    return sorted(found, key=lambda dump: dump.written_at, reverse=True)


def dump_of(slug: str, key: str) -> Dump | None:
    """The backup `key` of `slug`, if there is one (`key` as in `Dump.key`)."""
    if not KEY.fullmatch(key):
        return None
    return next((dump for dump in dumps_of(slug) if dump.key == key), None)


def backed_up_neighbourhoods() -> list[BackedUp]:
    """Every live neighbourhood (with or without backups) and every deleted one whose backups
    remain, by slug, with how many backups each has and the newest one's time."""
    live = {n.slug: n for n in Neighbourhood.objects.exclude(schema_name="public")}
    counts: dict[str, list[str]] = {slug: [] for slug in live}
    root = settings.BACKUP_DIR
    if root.is_dir():
        for entry in root.iterdir():
            if entry.is_dir() and SLUG_PATTERN.match(entry.name):
                stamps = [m.parent.name for m in entry.glob("*/registry.json")]
                counts.setdefault(entry.name, []).extend(s for s in stamps if KEY.fullmatch(s))
            elif match := DELETION_DUMP.fullmatch(entry.name):
                counts.setdefault(match["slug"], []).append(match["stamp"])
    return [
        BackedUp(slug, live.get(slug), len(stamps), _written(max(stamps)) if stamps else None)
        for slug, stamps in sorted(counts.items())
        if stamps or slug in live
    ]
