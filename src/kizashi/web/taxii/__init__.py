"""The TAXII 2.1 server at /taxii2/ (docs/taxii.md): the HTTP layer on the threat-intelligence store's services."""

from kizashi.web.taxii.routes import router

__all__ = ["router"]
