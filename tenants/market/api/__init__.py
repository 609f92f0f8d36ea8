"""The marketplace's API under /api/v1/, one module per topic: `ads`, `lists` (categories,
sub-areas, personal pages), `serializers`."""
