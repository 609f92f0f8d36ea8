"""What the people app adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions

CONTRIBUTIONS = Contributions(
    demo="tenants.people.demo.add_demo_data",
    timeline="tenants.people.timeline.entries_for",
)
