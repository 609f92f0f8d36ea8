"""The Dutch translation is complete, matches the code, and is what visitors see.

The .po file is made with Django's makemessages, from the repository root:

    python3 manage.py makemessages -l nl -e html,txt,py --no-obsolete \\
        --ignore=.venv --ignore=.data --ignore=tests --ignore=deploy --ignore=docs \\
        --ignore=staticfiles

then every new entry is translated by hand; `manage.py compiletranslations` (run by the test
and demo commands) turns it into the .mo file that Django reads.
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[1]
LOCALE_DIR = REPO_ROOT / "platform" / "tijdvoorelkaar" / "locale"
PO_PATH = LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# The same as the command above. "locale" keeps makemessages from adopting the repository's
# own locale folder, which it would otherwise write into instead of LOCALE_PATHS[0].
IGNORE_PATTERNS = [".venv", ".data", "tests", "deploy", "docs", "staticfiles", "locale"]
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")

# Words that are the same in Dutch; any other msgstr equal to its msgid is left untranslated.
SAME_IN_DUTCH = frozenset(
    {
        "API",
        "Menu",
        "E-mail:",
        "TijdVoorElkaar %(name)s",
        "%(amount)s: %(description)s",
        "Accounts",
        "Contact",
        "Code",
        "Home",
        "Inbox",
        "Inbox (demo)",
        "Intake",
        "Man",
        "Open",
        "Routing",
        "Poster",
        "School",
        "Status",
        "Status:",
        "Website",
        "Week",
        "platform",
        "schema",
        "status",
        "website",
    }
)

# %(name)s, %(ratio).1f, %s, %d ... and {{ name }}, which blocktranslate turns into %(name)s:
# a msgstr that still says {{ name }} would show the braces to the visitor.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[diouxXeEfFgGcrsa%]")
TEMPLATE_VARIABLE = re.compile(r"{{\s*([\w.]+)\s*}}")

# The Dutch text addresses the reader as "u" (formal), never "je/jij/jouw": many residents are
# elderly. Msgids whose Dutch may say "je" anyway (e.g. quoting a resident) go here.
INFORMAL_DUTCH = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
INFORMAL_ALLOWED: frozenset[str] = frozenset()

HOME_HEADING_NL = "Buren helpen elkaar in"
HOME_HEADING_EN = "Neighbours helping each other in"


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def _placeholders(text: str, python_format: bool) -> list[str]:
    found = []
    for match in PERCENT_PLACEHOLDER.finditer(text) if python_format else ():
        if match.group(0) == "%%":
            continue
        found.append(match.group(1) or match.group(0))  # a name, or the positional directive
    found += [f"{{{{ {name} }}}}" for name in TEMPLATE_VARIABLE.findall(text)]
    return sorted(found)


def _msgstrs(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _label(entry: polib.POEntry) -> str:
    where = entry.occurrences[0][0] if entry.occurrences else "?"
    return f"{entry.msgid!r} ({where})"


@pytest.fixture(scope="module")
def dutch() -> polib.POFile:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing; create it with makemessages -l nl"
    return polib.pofile(str(PO_PATH))


def test_the_dutch_catalogue_is_fully_translated(dutch: polib.POFile) -> None:
    entries = _entries(dutch)
    assert len(entries) > 100, "suspiciously few messages: was makemessages run from the root?"
    untranslated = [_label(e) for e in entries if not all(s.strip() for s in _msgstrs(e))]
    assert not untranslated, "Translate these entries into Dutch:\n" + "\n".join(untranslated)
    fuzzy = [_label(e) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "Check these fuzzy translations and remove the flag:\n" + "\n".join(fuzzy)
    assert not dutch.metadata_is_fuzzy, "the .po header is still marked fuzzy"
    assert dutch.metadata.get("Language") == "nl"
    copied = [_label(e) for e in entries if e.msgstr == e.msgid and e.msgid not in SAME_IN_DUTCH]
    assert not copied, "These are still English (or add them to SAME_IN_DUTCH):\n" + "\n".join(
        copied
    )


def test_translations_keep_every_placeholder(dutch: polib.POFile) -> None:
    problems = []
    for entry in _entries(dutch):
        python_format = "python-format" in entry.flags
        expected = _placeholders(entry.msgid, python_format)
        plural_expected = _placeholders(entry.msgid_plural or entry.msgid, python_format)
        for index, msgstr in enumerate(_msgstrs(entry)):
            wanted = expected if index == 0 else plural_expected
            got = _placeholders(msgstr, python_format)
            # A plural form may drop the count (e.g. "one hour" for n == 1), nothing else.
            if got != wanted and not (entry.msgid_plural and set(got) <= set(plural_expected)):
                problems.append(f"{_label(entry)}: expects {wanted}, has {got}")
            if python_format:
                try:
                    msgstr % defaultdict(int)
                except (TypeError, ValueError, KeyError) as error:
                    problems.append(f"{_label(entry)}: {msgstr!r} does not format ({error})")
    assert not problems, "\n".join(problems)


def test_the_dutch_catalogue_addresses_the_reader_as_u(dutch: polib.POFile) -> None:
    informal = [
        f"{_label(entry)}: {msgstr!r}"
        for entry in _entries(dutch)
        if entry.msgid not in INFORMAL_ALLOWED
        for msgstr in _msgstrs(entry)
        if INFORMAL_DUTCH.search(msgstr)
    ]
    assert not informal, "Say u/uw, not je/jij/jouw:\n" + "\n".join(informal)


def test_the_catalogue_is_up_to_date_with_the_code(tmp_path: Path, settings, monkeypatch) -> None:
    """Run makemessages against a copy: a string added or changed in the code since the .po
    was last made shows up as an untranslated (or fuzzy) entry there."""
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"GNU gettext is not installed ({', '.join(missing)} missing); CI has it")
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [copy]
    before = (PO_PATH.read_bytes(), PO_PATH.stat().st_mtime_ns)
    monkeypatch.chdir(REPO_ROOT)  # makemessages scans the current directory

    call_command(
        "makemessages",
        locale=["nl"],
        extensions=["html", "txt", "py"],
        ignore_patterns=IGNORE_PATTERNS,
        no_obsolete=True,
        verbosity=0,
    )

    assert (PO_PATH.read_bytes(), PO_PATH.stat().st_mtime_ns) == before, "wrote into the repo"
    fresh = polib.pofile(str(copy / "nl" / "LC_MESSAGES" / "django.po"))
    stale = {e.msgid for e in _entries(polib.pofile(str(PO_PATH)))} - {
        e.msgid for e in _entries(fresh)
    }
    new = [_label(e) for e in _entries(fresh) if not e.translated()]
    advice = "; run makemessages (see this file's docstring) and translate"
    assert not new, f"New or changed strings in the code{advice}:\n" + "\n".join(new)
    assert not stale, f"The .po has strings the code no longer uses{advice}:\n" + "\n".join(
        sorted(stale)
    )


@pytest.mark.django_db
def test_pages_are_dutch_by_default_and_english_on_request(cast) -> None:
    assert MO_PATH.is_file() and MO_PATH.stat().st_mtime >= PO_PATH.stat().st_mtime, (
        "the .mo is missing or older than the .po: run manage.py compiletranslations"
    )
    dutch_page = cast.a.client().get("/").content.decode()
    assert HOME_HEADING_NL in dutch_page
    assert HOME_HEADING_EN not in dutch_page

    english = cast.a.client()
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english_page = english.get("/").content.decode()
    assert HOME_HEADING_EN in english_page
    assert HOME_HEADING_NL not in english_page
