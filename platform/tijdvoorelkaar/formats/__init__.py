"""The one way dates are written on pages and in mails: Django's `DATE_FORMAT` and
`DATETIME_FORMAT` of the page's language (`{{ day|date }}`, `{{ moment|date:"DATETIME_FORMAT" }}`,
`django.utils.formats.date_format` in Python). Dutch "6 december 2026", English
"6 December 2026"; Django's own English would be "Dec. 6, 2026". Exports keep ISO dates
(2026-12-06): spreadsheets in every language read them as dates, and the import reads them back."""
