"""What the outbox adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood
from tijdvoorelkaar.settings.environment import env_int

CONTRIBUTIONS = Contributions(
    beat={
        # mail retries wait on the sweep: their back-off ends, the sweep queues them
        "outbox-sweep": every_neighbourhood(
            "outbox.sweep", float(env_int("OUTBOX_SWEEP_SECONDS", 60))
        ),
    },
)
