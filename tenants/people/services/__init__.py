"""Writes about participants, one module per topic: `participants` (contact details,
duplicates, registering, the erased check, broker-only, sub-areas), `links` (one-time links),
`messages` (passing messages on), `registration` (a broker enrolling and editing with
duplicate checks), `consents` (consents and the self-reported profile), `records` (notes,
certificates of conduct), `privacy` (export, erasure)."""
