"""What accounts adds to beat: each night, the expired sessions leave every neighbourhood's
schema and `public` (the console's); nothing else deletes them."""

from celery.schedules import crontab

from tijdvoorelkaar.contributions import Contributions, every_neighbourhood

CLEAR_AT = crontab(hour=3, minute=45)

CONTRIBUTIONS = Contributions(
    beat={
        "clear-expired-sessions": every_neighbourhood("accounts.clear_sessions", CLEAR_AT),
        "clear-expired-console-sessions": {"task": "accounts.clear_sessions", "schedule": CLEAR_AT},
    },
)
