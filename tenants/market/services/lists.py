"""The lists the neighbourhood admin keeps for the marketplace: categories and sub-areas."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import SubArea

from ..cache import bump_list_version
from ..models import Category


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give a name.")]})
    return name


def _unique_slug(name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:70] or "category"
    slug, n = base, 2
    while Category.objects.exclude(pk=exclude).filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def add_category(*, name: str, by: Any, name_en: str = "") -> Category:
    """Add a category named in Dutch (`name`) and, optionally, in English."""
    name = _name(name)
    if Category.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("There is already a category with this name.")]})
    last = Category.objects.aggregate(last=Max("position"))["last"] or 0
    category = Category(
        name=name, name_en=name_en.strip(), slug=_unique_slug(name), position=last + 1
    )
    category.full_clean()
    category.save()
    record_audit_event(actor=by, action="category.added", target=category)
    bump_list_version(filters=True)  # the list's filters and cards name it
    return category


@transaction.atomic
def change_category(
    *,
    category: Category,
    by: Any,
    name: str,
    position: int,
    is_active: bool,
    name_en: str = "",
) -> Category:
    """Rename (in Dutch and English), move or retire (is_active=False) a category; ads keep
    theirs."""
    name = _name(name)
    if Category.objects.exclude(pk=category.pk).filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("There is already a category with this name.")]})
    category.name, category.position, category.is_active = name, position, is_active
    category.name_en = name_en.strip()
    category.full_clean(validate_unique=False)
    category.save(update_fields=["name", "name_en", "position", "is_active"])
    record_audit_event(
        actor=by, action="category.changed", target=category, detail={"active": is_active}
    )
    bump_list_version(filters=True)  # the list's filters and cards name it
    return category


@transaction.atomic
def add_sub_area(*, name: str, by: Any) -> SubArea:
    name = _name(name)
    if SubArea.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("There is already a sub-area with this name.")]})
    last = SubArea.objects.aggregate(last=Max("position"))["last"] or 0
    sub_area = SubArea.objects.create(name=name, position=last + 1)
    record_audit_event(actor=by, action="sub_area.added", target=sub_area)
    bump_list_version(filters=True)  # the list's filters and cards name it
    return sub_area


@transaction.atomic
def change_sub_area(*, sub_area: SubArea, by: Any, name: str, position: int) -> SubArea:
    name = _name(name)
    if SubArea.objects.exclude(pk=sub_area.pk).filter(name__iexact=name).exists():
        raise ValidationError({"name": [_("There is already a sub-area with this name.")]})
    sub_area.name, sub_area.position = name, position
    sub_area.save(update_fields=["name", "position"])
    record_audit_event(actor=by, action="sub_area.changed", target=sub_area)
    bump_list_version(filters=True)  # the list's filters and cards name it
    return sub_area


@transaction.atomic
def delete_sub_area(*, sub_area: SubArea, by: Any) -> None:
    """Remove a sub-area nobody and no ad uses (otherwise rename it instead)."""
    if sub_area.participants.exists() or sub_area.ads.exists():
        raise ValidationError(_("Participants or ads still name this sub-area; rename it instead."))
    record_audit_event(
        actor=by, action="sub_area.deleted", target=sub_area, detail={"id": sub_area.pk}
    )
    sub_area.delete()
    bump_list_version(filters=True)  # the list's filters and cards name it
