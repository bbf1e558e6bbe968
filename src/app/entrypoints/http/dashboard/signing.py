"""Signing in with the API token, and out."""

import hmac
from typing import Any

from flask import flash, redirect, request, session, url_for
from werkzeug.wrappers import Response

from app.entrypoints.http.context import container
from app.entrypoints.http.dashboard import bp, render


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = request.values.get("next", "")
    if not target.startswith("/dashboard"):
        target = url_for("dashboard.accounts")
    if request.method == "GET":
        return render("login.html", next=target)
    given = request.form.get("token", "")
    token = container().settings.require_api_token()
    if not hmac.compare_digest(given.encode(), token.encode()):
        message = (
            "That is not the API token. It is DEMOSIM_API_TOKEN (make serve prints where it is)."
        )
        return render("login.html", 401, next=target, error=message)
    session.clear()
    session.permanent = True
    session["signed_in"] = True
    return redirect(target)


@bp.post("/logout")
def logout() -> Response:
    session.clear()
    flash("Signed out.")
    return redirect(url_for("dashboard.login"))
