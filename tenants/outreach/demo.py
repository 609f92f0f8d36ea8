"""Demo content: a few residents with e-mail who chose a digest (weekly, monthly, one with a
sub-area), set through the service. The poster and postcard are made on demand."""

from __future__ import annotations

from tenants.people.models import Participant, SubArea
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .digest import set_digest_preference
from .models import Frequency

CHOICES = (Frequency.WEEKLY, Frequency.MONTHLY, Frequency.WEEKLY)


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    people = Participant.objects.filter(erased_at__isnull=True, email__gt="").order_by("id")[:3]
    area = SubArea.objects.order_by("position", "id").first()
    for index, (person, frequency) in enumerate(zip(people, CHOICES, strict=False)):
        areas = [area] if area is not None and index == 2 else []
        set_digest_preference(participant=person, frequency=frequency, sub_areas=areas, by=None)
