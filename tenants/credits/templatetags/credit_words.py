"""`{{ amount|credits }}` → "2 Roosjes", `{{ amount|credits_signed }}` → "+1 Roosje",
`{{ amount|credit_amount }}` → "1,5" (the number alone, as the reader's language writes it),
`{% credit_name %}` → the plural, `{% credit_name amount %}` → the word for that many, in the
current neighbourhood's own words."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..naming import amount_display, credit_word, credits_text

register = template.Library()


@register.filter
def credits(amount: Decimal) -> str:
    return credits_text(amount)


@register.filter
def credits_signed(amount: Decimal) -> str:
    return credits_text(amount, signed=True)


@register.filter
def credit_amount(amount: Decimal) -> str:
    return amount_display(amount)


@register.simple_tag
def credit_name(amount: Decimal | None = None) -> str:
    return credit_word(amount)
