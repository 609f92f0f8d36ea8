"""The broker's workspace as an API (brokers and admins; routing changes for admins only),
one module per topic; `api_urls.py` registers them."""
