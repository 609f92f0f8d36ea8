# The Dutch order in English words: the residents read English in the Netherlands.
DATE_FORMAT = "j F Y"  # 6 December 2026
DATETIME_FORMAT = "j F Y H:i"  # 6 December 2026 14:05
