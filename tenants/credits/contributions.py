"""What credits add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions

CONTRIBUTIONS = Contributions(timeline="tenants.credits.timeline.entries_for")
