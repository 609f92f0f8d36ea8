"""What the outbox adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CONTRIBUTIONS = Contributions(
    beat={"outbox-sweep": every_neighbourhood("outbox.sweep", 300.0)},
)
