"""What tests import to build their world: `cast` (the named cast and clients bound to a host),
`factories` (participants, ads, organisation members, bulk rows, all through the services
unless a count needs thousands), `outbox` (the mail a test caused, and an SMTP server to
deliver to), `processes` (waiting for a worker, pointing it at the test database) and
`live_server` (a real HTTP server in a thread)."""
