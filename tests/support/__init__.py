"""What tests import to build their world: `cast` (the named cast and clients bound to a host),
`factories` (participants, ads, organisation members, bulk rows, all through the services
unless a count needs thousands), `outbox` (the mail a test caused, and an SMTP server to
deliver to) and `processes` (waiting for a worker, pointing it at the test database)."""
