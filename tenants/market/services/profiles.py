"""A participant keeps their own public face: display name, sub-area, introduction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.people.models import Participant
from tenants.people.services.participants import validate_not_erased

from ..cache import bump_list_version


@transaction.atomic
def update_profile(
    *, participant: Participant, display_name: str, sub_area: Any, introduction: str
) -> Participant:
    """Change the public fields of `participant` (by themselves, signed in)."""
    validate_not_erased(participant)
    participant.display_name = display_name.strip()
    participant.sub_area = sub_area
    participant.introduction = introduction.strip()
    if not participant.display_name:
        raise ValidationError({"display_name": [_("Give the name others will see.")]})
    participant.full_clean(validate_unique=False)
    participant.save(update_fields=["display_name", "sub_area", "introduction", "updated_at"])
    bump_list_version()  # lists show the display name
    return participant
