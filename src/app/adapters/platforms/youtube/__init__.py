"""YouTube's dialect: the Data API v3 its hosts poll (SPEC.md "Platform emulation")."""
