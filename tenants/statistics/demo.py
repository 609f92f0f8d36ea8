"""Demo report: computes the standard periods after the other apps made their demo history."""

from __future__ import annotations

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .services import compute_standard_snapshots


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    compute_standard_snapshots()
