"""What credits add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem, every_neighbourhood

CONTRIBUTIONS = Contributions(
    demo="tenants.credits.demo.add_demo_data",
    timeline="tenants.credits.timeline.TIMELINE",
    export="tenants.credits.privacy.export_for",
    erase="tenants.credits.privacy.erase_for",
    beat={
        # Daily 03:30: warn a month ahead, then expire credits unused for the set months.
        "credits-expiry": every_neighbourhood(
            "credits.expire_credits", crontab(minute="30", hour="3")
        ),
    },
    # Shown only while the neighbourhood's credits are on, under the credit's own name.
    staff_menu=(
        MenuItem(
            85,
            _("Time credits"),
            "/broker/credits/",
            only_if="credits_enabled",
            label_from="credit_name",
        ),
    ),
    newsletter_sections="tenants.credits.newsletter.newsletter_sections",
)
