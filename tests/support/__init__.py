"""What tests import to build their world: `cast` (the named cast and clients bound to a host),
`factories` (participants, ads, organisation members, bulk rows, all through the services
unless a count needs thousands) and `outbox` (reading the mail a test caused)."""
