"""What mailings adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem, every_neighbourhood
from tijdvoorelkaar.settings.environment import env_int

CONTRIBUTIONS = Contributions(
    demo="tenants.mailings.demo.add_demo_data",
    export="tenants.mailings.personal_data.export_personal_data",
    erase="tenants.mailings.personal_data.erase_personal_data",
    mail_sender="tenants.mailings.selectors.chosen_sender_name",
    bounce_address="tenants.mailings.selectors.chosen_bounce_address",
    recipient_refused="tenants.mailings.bounces.refused_at_sending",
    beat={
        # starts scheduled issues, finishes sent ones, keeps next month's draft ready
        "mailings-schedule": every_neighbourhood(
            "mailings.run_schedule", float(env_int("MAILINGS_SCHEDULE_SECONDS", 300))
        ),
        # reads new bounce mail from MAIL_BOUNCES_MAILDIR (does nothing without one); one job
        # for the platform, in `public`: each mail names its own neighbourhood
        "mailings-read-bounces": {
            "task": "mailings.read_bounce_mailbox",
            "schedule": float(env_int("MAIL_BOUNCES_SECONDS", 300)),
        },
    },
    staff_menu=(MenuItem(95, _("Newsletter"), "/broker/newsletters/"),),
)
