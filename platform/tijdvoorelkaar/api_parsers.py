"""The API's request parsers. Every endpoint takes a JSON object (or a form), never a bare
list or number: refusing those here answers a 400 before a view reads `request.data.get`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("Send a JSON object."))
        return data
