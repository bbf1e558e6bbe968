"""Meta's dialect (Instagram, Facebook Pages), from developers.facebook.com/docs/graph-api/
webhooks: the subscription handshake, the X-Hub-Signature-256 signature, the envelope."""
