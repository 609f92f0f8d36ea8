"""What import and export add to the shared places (read by `tijdvoorelkaar.contributions`)."""

from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.contributions import Contributions, MenuItem

CONTRIBUTIONS = Contributions(
    staff_menu=(MenuItem(90, _("Import and export"), "/broker/transfers/"),),
)
