"""Protection of what the think tank holds: the access policy (`policy`) and the audit trail (`audit`)."""
