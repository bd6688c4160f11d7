"""Ingest: one reader per format, each yielding validated records; one loader writes them in one transaction."""
