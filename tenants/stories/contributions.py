"""What stories add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    demo="tenants.stories.demo.add_demo_data",
    timeline="tenants.stories.personal_data.TIMELINE",
    export="tenants.stories.personal_data.export_for",
    erase="tenants.stories.personal_data.erase",
    newsletter_sections="tenants.stories.newsletter.sections",
    staff_menu=(MenuItem(85, _("Success stories"), "/broker/stories/"),),
)
