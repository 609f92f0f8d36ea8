"""What the marketplace adds to the shared places (read by `tijdvoorelkaar.contributions`)."""

from celery.schedules import crontab

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CONTRIBUTIONS = Contributions(
    seed="tenants.market.provisioning.seed_neighbourhood",
    demo="tenants.market.demo.add_demo_data",
    timeline="tenants.market.timeline.TIMELINE",
    export="tenants.market.personal_data.export_personal_data",
    erase="tenants.market.personal_data.erase_personal_data",
    public_face_changed="tenants.market.cache.public_face_changed",
    organisation_page="tenants.market.selectors.organisation_vacancies",
    organisation_counts="tenants.market.selectors.organisation_vacancy_count",
    newsletter_sections="tenants.market.newsletter.newsletter_sections",
    beat={
        "market-expire-ads": every_neighbourhood("market.expire_ads", 3600.0),
        "market-renewal-reminders": every_neighbourhood(
            "market.send_renewal_reminders", crontab(hour=10, minute=15)
        ),
    },
)
