"""Pages of responding, one module per topic."""
