"""The operator's API for the headline figures (platform domain only): the same table as the
console's page, small cells suppressed."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from tijdvoorelkaar.accounts.access import OperatorAPIView

from .figures import HEADLINE_KEYS
from .selectors import TERM, headline_table, period_keys


class _CellField(serializers.JSONField):
    """A figure: a number, "<5" (suppressed) or null (not computed, or credits off)."""


class HeadlineRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    slug = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    figures = serializers.DictField(child=_CellField())


class HeadlineTableSerializer(serializers.Serializer):  # type: ignore[type-arg]
    period = serializers.CharField()
    periods = serializers.ListField(child=serializers.CharField())
    neighbourhoods = HeadlineRowSerializer(many=True)
    totals = serializers.DictField(child=serializers.FloatField())
    suppressed_cells = serializers.DictField(child=serializers.IntegerField())


class HeadlinesView(OperatorAPIView):
    """Every active neighbourhood's headline figures for one period, with totals. A figure from
    1 to 4 is "<5" and left out of the total; `suppressed_cells` counts them per figure."""

    serializer_class = HeadlineTableSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period", str, description="A period key (default: the whole term, `term`)."
            )
        ],
        responses=HeadlineTableSerializer,
    )
    def get(self, request: Request) -> Response:
        keys = period_keys()
        asked = request.query_params.get("period", "")
        period_key = asked if asked in keys else (keys[0] if keys else TERM)
        if asked and asked not in keys:
            return Response({"period": [f"No figures for period {asked!r}."]}, status=400)
        table = headline_table(period_key)
        names = list(HEADLINE_KEYS)
        body: dict[str, Any] = {
            "period": period_key,
            "periods": keys,
            "neighbourhoods": [
                {
                    "name": row.name,
                    "slug": row.slug,
                    "computed_at": row.computed_at,
                    "figures": dict(zip(names, row.cells, strict=True)),
                }
                for row in table.rows
            ],
            "totals": dict(zip(names, table.totals, strict=True)),
            "suppressed_cells": dict(zip(names, table.suppressed, strict=True)),
        }
        return Response(HeadlineTableSerializer(body).data)
