"""What responses and replies share: the message rule and mail rendered in the reader's
language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

MESSAGE_MAX_LENGTH = 2000


def check_message(message: str, field: str = "message") -> str:
    """The message stripped; a ValidationError on `field` when it is empty or too long."""
    message = message.strip()
    if not message:
        raise ValidationError({field: [_("Write a short message.")]})
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                field: [
                    _("Keep your message under %(max)d characters.") % {"max": MESSAGE_MAX_LENGTH}
                ]
            }
        )
    return message


def render_mail(template: str, language: str, context: dict[str, Any]) -> str:
    with translation.override(language):
        return render_to_string(template, context)
