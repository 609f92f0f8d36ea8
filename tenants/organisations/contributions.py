"""What the organisations app adds to the shared places (read by
`tijdvoorelkaar.contributions`)."""

from tijdvoorelkaar.contributions import Contributions

CONTRIBUTIONS = Contributions(demo="tenants.organisations.demo.add_demo_data")
