"""What the broker's workspace adds to the shared places (read by
`tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions

CONTRIBUTIONS = Contributions(
    seed="tenants.brokerage.provisioning.seed_neighbourhood",
    demo="tenants.brokerage.demo.add_demo_data",
    timeline="tenants.brokerage.timeline.entries_for",
)
