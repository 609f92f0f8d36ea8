"""What referrals add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions

CONTRIBUTIONS = Contributions(
    demo="tenants.referrals.demo.add_demo_data",
    timeline="tenants.referrals.timeline.entries_for",
)
