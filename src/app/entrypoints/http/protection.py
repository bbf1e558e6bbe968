"""What every response holds and every client is held to: the security headers (flask-talisman),
a limit on failed sign-ins and bearer tokens per client (flask-limiter, counted in Redis), the
session cookie `Secure` when the request came over HTTPS, and a proxy's X-Forwarded-* headers
believed only when TRUSTED_PROXIES says there is one."""

import time

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from app.bootstrap import Container

FAILURES_PER_CLIENT = "10 per minute"  # wrong tokens, on the sign-in form or as a bearer
GUARDED = ("/api/", "/metrics", "/dashboard/login")  # where a token is tried
NOT_CACHED = ("/dashboard", "/docs", "/openapi.json")

# no inline script or style anywhere: every script and style is a file under /static
CSP = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class _SessionCookie(SecureCookieSessionInterface):
    """The session cookie is `Secure` exactly when the request came over HTTPS (as ProxyFix
    tells it behind a proxy), so plain-HTTP local use keeps working."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def install(app: Flask, container: Container) -> Limiter:
    proxies = container.settings.trusted_proxies
    if proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.session_interface = _SessionCookie()
    Talisman(
        app,
        force_https=False,  # TLS ends at the proxy, when there is one
        session_cookie_secure=False,  # per request: _SessionCookie
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",  # same-origin Referer: flask-wtf checks it over HTTPS
    )
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri="redis://",
        # the container's own Redis (limits' options are typed as strings and numbers only)
        storage_options={"connection_pool": container.redis.connection_pool},  # type: ignore[dict-item]
        application_limits=[FAILURES_PER_CLIENT],
        application_limits_exempt_when=lambda: not request.path.startswith(GUARDED),
        application_limits_deduct_when=lambda response: response.status_code == 401,
        # its X-RateLimit-* headers would also overwrite every Retry-After (a job's polling
        # hint): the 429 says when itself (retry_after)
        headers_enabled=False,
        strategy="moving-window",
    )

    @app.after_request
    def _not_cached(response: Response) -> Response:
        if request.path.startswith(NOT_CACHED):
            response.headers["Cache-Control"] = "no-store"
        return response

    return limiter


def retry_after(limiter: Limiter) -> int:
    """Seconds until the limit this request broke lets the client try again."""
    broken = limiter.current_limit
    return max(1, int(broken.reset_at - time.time())) if broken is not None else 60
