"""What credits add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions

CONTRIBUTIONS = Contributions(
    demo="tenants.credits.demo.add_demo_data",
    timeline="tenants.credits.timeline.entries_for",
    newsletter_sections="tenants.credits.newsletter.newsletter_sections",
)
