"""The people app's API, one module per topic; `api_urls.py` registers them."""
