"""The platforms' dialects, one package per family (meta/, youtube/, x/, tiktok/): a
platform's webhook envelope, its signature over the raw bytes, its subscription handshake and
the shapes of its API, each built from the platform's documentation. What generation needs to
know of a platform is in app.domain.platforms; the HTTP side of a dialect is its blueprint in
app.entrypoints.http.platforms."""
