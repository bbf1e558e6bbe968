"""A blueprint per platform family (meta.py, youtube.py, …): the endpoints a host's live
integration code calls, thin over app.adapters.platforms.<family> (the dialect) and the
services."""
