"""X's dialect: Account Activity webhooks with their CRC, and the v2 endpoints that post replies
and send messages."""
