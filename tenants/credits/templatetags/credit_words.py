"""`{{ amount|credits }}` → "2 Roosjes", `{{ amount|credits_signed }}` → "+1 Roosje",
`{% credit_name %}` → the plural, in the current neighbourhood's own words."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..naming import credit_word, credits_text

register = template.Library()


@register.filter
def credits(amount: Decimal) -> str:
    return credits_text(amount)


@register.filter
def credits_signed(amount: Decimal) -> str:
    return credits_text(amount, signed=True)


@register.simple_tag
def credit_name(amount: Decimal | None = None) -> str:
    return credit_word(amount)
