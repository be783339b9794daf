"""Open Badges 3.0 credentials (VC-JWT, EdDSA), the revocation status list, Open Badges 2.0 assertions and baking.

The JSON schemas and the OB 3.0 JSON-LD context in schemas/ are copies of the 1EdTech files, shipped so that
validation never needs the network (docs/decisions/0007-open-badges-proofs.md)."""
