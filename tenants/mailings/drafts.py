"""The newsletter's drafts: assembled from what the apps below declare new, edited by the
broker, and the rules an issue must meet before it goes out.

What the platform writes into a draft (the subject and introduction, the contact lines, each
section's title) is in the draft's language; each section also keeps its heading's source, so
that `rendering` writes it in every reader's language (see `Newsletter`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tijdvoorelkaar.contributions import NewsletterSection, hooks
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from . import rendering
from .models import Newsletter


def sections_since(since: datetime, language: str) -> list[dict[str, Any]]:
    """What the apps below declare as new since `since` (`newsletter_sections`), as data:
    each heading as its source (written in each reader's language when the issue is) and as
    the draft in `language` shows it to the broker."""
    sections: list[NewsletterSection] = []
    for contribute in hooks("newsletter_sections"):
        sections.extend(contribute(since))
    stored = []
    for section in sections:
        if not section.items:
            continue
        heading = {"msgid": section.heading, "params": dict(section.heading_params)}
        stored.append(
            {
                "heading": heading,
                "title": rendering.heading_in(heading, language) or section.heading,
                "items": [
                    {
                        "title": item.title,
                        "text": item.text,
                        "url": item.url,
                        "image_url": item.image_url or "",
                    }
                    for item in section.items
                ],
                **({"only_if": section.only_if} if section.only_if else {}),
            }
        )
    return stored


@transaction.atomic
def assemble_newsletter(*, month: date, by: Any = None) -> Newsletter:
    """The draft for `month` (its first day), from what is new since the last issue went
    out (or a month before `month`). An existing issue for that month is returned as it is."""
    month = month.replace(day=1)
    existing = Newsletter.objects.filter(issue_month=month).first()
    if existing is not None:
        return existing
    language = current_neighbourhood().default_language
    last = Newsletter.objects.filter(started_at__isnull=False).order_by("-started_at").first()
    previous_month = (month - timedelta(days=1)).replace(day=1)
    since = last.started_at if last else local_time(previous_month, 0)
    number = (Newsletter.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    newsletter = Newsletter.objects.create(
        number=number,
        issue_month=month,
        subject=rendering.default_subject(month, language),
        intro=rendering.default_intro(language),
        sections=sections_since(since, language),
        contact=rendering.contact_text(language),
        language=language,
        since=since,
    )
    record_audit_event(actor=by, action="mailings.newsletter_assembled", target=newsletter)
    return newsletter


def _validate_sections(sections: Any) -> list[dict[str, Any]]:
    error = ValidationError({"sections": [_("Sections must be a list of titled lists of items.")]})
    if not isinstance(sections, list):
        raise error
    cleaned = []
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("items", []), list):
            raise error
        items = []
        for item in section.get("items", []):
            if not isinstance(item, dict) or not str(item.get("title", "")).strip():
                raise error
            items.append(
                {
                    "title": " ".join(str(item["title"]).split())[:200],
                    "text": str(item.get("text", ""))[:1000],
                    "url": str(item.get("url", ""))[:500],
                    "image_url": str(item.get("image_url", "") or "")[:500],
                }
            )
        title = " ".join(str(section.get("title", "")).split())[:120]
        only_if = str(section.get("only_if", "") or "")[:40]
        heading = _clean_heading(section.get("heading"))
        if items or title:
            cleaned.append(
                {
                    "title": title,
                    "items": items,
                    **({"only_if": only_if} if only_if else {}),
                    **({"heading": heading} if heading else {}),
                }
            )
    return cleaned


def _clean_heading(heading: Any) -> dict[str, Any] | None:
    """A section's heading as assembled ({"msgid", "params"}), or None for anything else:
    the section then keeps its title as written."""
    if not isinstance(heading, dict) or not isinstance(heading.get("msgid"), str):
        return None
    params = heading.get("params") or {}
    if not isinstance(params, dict):
        return None
    return {
        "msgid": heading["msgid"][:200],
        "params": {str(key)[:40]: str(value)[:200] for key, value in params.items()},
    }


def validate_content(newsletter: Newsletter) -> None:
    errors: dict[str, list[str]] = {}
    if not newsletter.subject.strip():
        errors["subject"] = [_("A newsletter needs a subject.")]
    has_items = any(section["items"] for section in newsletter.sections)
    if not newsletter.intro.strip() and not has_items:
        errors["intro"] = [_("A newsletter needs content: an introduction or items.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_newsletter(*, newsletter: Newsletter, changes: dict[str, Any], by: Any) -> Newsletter:
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if not newsletter.is_editable:
        raise ValidationError({"__all__": [_("This newsletter has been sent; it cannot change.")]})
    unknown = set(changes) - {"subject", "intro", "contact", "sections"}
    if unknown:
        raise ValidationError({"__all__": [_("Unknown fields: %s") % ", ".join(sorted(unknown))]})
    if "subject" in changes:
        newsletter.subject = " ".join(str(changes["subject"] or "").split())[:150]
    if "intro" in changes:
        newsletter.intro = str(changes["intro"] or "")
    if "contact" in changes:
        newsletter.contact = str(changes["contact"] or "")
    if "sections" in changes:
        newsletter.sections = _validate_sections(changes["sections"])
    validate_content(newsletter)
    newsletter.full_clean(exclude=["batch", "sections"])
    newsletter.save()
    record_audit_event(
        actor=by,
        action="mailings.newsletter_edited",
        target=newsletter,
        detail={"fields": sorted(changes)},
    )
    return newsletter


def local_time(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())
