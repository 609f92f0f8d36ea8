"""Provisioning many neighbourhoods in a row: the `provision_neighbourhoods` command and the
API's bulk endpoint call `provision_neighbourhoods`.

A replay of the blueprint costs tens of times a provisioning from a spare, and the pool's
refill makes one spare at a time: in a long row the pool runs dry and every provisioning waits
for a replay. A batch therefore builds all the spares it needs before it starts (outside the
provisioning lock, each published under it), then provisions each one from a spare
(docs/operations/benchmarks.md, "100 in a row").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Neighbourhood
from .services import NeighbourhoodSpec, provision_neighbourhood, validate_spec
from .spares import spares_for

MAX_BATCH = 100  # what one background task makes well within its time limit
BatchProgress = Callable[[int, int, str], None]  # (done, total, slug)


def validate_batch(specs: list[NeighbourhoodSpec]) -> None:
    """Raise one ValidationError naming, per neighbourhood (by its slug, or its place in the
    list), everything that is wrong, including a slug or domain used twice in the batch."""
    errors: dict[str, list[str]] = {}
    if not specs:
        raise ValidationError({"neighbourhoods": [_("Give at least one neighbourhood.")]})
    if len(specs) > MAX_BATCH:
        raise ValidationError(
            {"neighbourhoods": [_("At most %(max)d at a time.") % {"max": MAX_BATCH}]}
        )
    for index, spec in enumerate(specs, start=1):
        try:
            validate_spec(spec)
        except ValidationError as error:
            errors[spec.slug or f"#{index}"] = [
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            ]
    slugs = Counter(spec.slug for spec in specs)
    domains = Counter(domain for spec in specs for domain in spec.domains)
    for spec in specs:
        twice = [domain for domain in spec.domains if domains[domain] > 1]
        found = errors.setdefault(spec.slug, [])
        if slugs[spec.slug] > 1 and _("This slug is in the list twice.") not in found:
            found.append(_("This slug is in the list twice."))
        if twice and not any(domain in message for domain in twice for message in found):
            found.append(
                _("Also given for another neighbourhood: %(domains)s.")
                % {"domains": ", ".join(twice)}
            )
        if not found:
            del errors[spec.slug]
    if errors:
        raise ValidationError(errors)


def provision_neighbourhoods(
    *, specs: list[NeighbourhoodSpec], progress: BatchProgress | None = None
) -> list[Neighbourhood]:
    """Create the neighbourhoods one after another, each as `provision_neighbourhood` does.

    Every spec is checked before anything is made. Then the spares the batch needs are built
    in one go, and kept until it ends; each neighbourhood is then its own transaction: when
    one fails (its slug taken meanwhile), the ones before it stay and the error is raised.
    """
    validate_batch(specs)
    made: list[Neighbourhood] = []
    with spares_for(len(specs)):
        for spec in specs:
            made.append(provision_neighbourhood(spec=spec))
            if progress:
                progress(len(made), len(specs), spec.slug)
    return made
