"""Signing in with the API token, and out."""

import hmac
from typing import Any

from flask import flash, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from app.entrypoints.http.context import container, services
from app.entrypoints.http.dashboard import back_to, bp, render


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = back_to(request.values.get("next", ""), url_for("dashboard.accounts"))
    if g.signed_in:  # already: on to where they were going
        return redirect(target)
    if request.method == "GET":
        return render("login.html", next=target)
    given = request.form.get("token", "")
    token = container().settings.require_api_token()
    if not hmac.compare_digest(given.encode(), token.encode()):
        message = (
            "That is not the API token. It is DEMOSIM_API_TOKEN (make serve prints where it is)."
        )
        return render("login.html", 401, next=target, error=message)
    session.clear()  # a new session, a new secret, a new CSRF token
    session.permanent = True
    session["sid"] = services().sessions.open()
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    secret = session.get("sid")
    if isinstance(secret, str):
        services().sessions.close(secret)
    session.clear()
    flash("Signed out.")
    return redirect(url_for("dashboard.login"))
