# Django's Dutch formats, stated here so that both languages are defined in one place.
DATE_FORMAT = "j F Y"  # 6 december 2026
DATETIME_FORMAT = "j F Y H:i"  # 6 december 2026 14:05
