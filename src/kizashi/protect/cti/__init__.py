"""Cyber threat intelligence: STIX 2.1 objects under TLP 2.0, sharing groups, correlation with our own observations,
and the TAXII 2.1 server's services."""
