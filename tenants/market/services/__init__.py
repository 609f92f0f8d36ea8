"""Writes of the marketplace, one module per topic."""
