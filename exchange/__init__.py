"""The exchange with the national volunteer information system: volunteers, service records and training records
keyed by volunteer number, as JSON (paginated) or CSV (the whole set). See docs/api.md."""
