"""Platform apps: the app a host's live integration uses, per family, verified by the
family's handshake against its callback before it is kept."""

from typing import Any

from flask.views import MethodView

from app.domain.apps import AppRegistration, Family, PlatformApp
from app.domain.errors import NotFoundError
from app.entrypoints.http.context import services
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import AppBodySchema, AppListSchema, AppSchema

blp = Blueprint("apps", __name__, url_prefix="/api/v1", description="Platform apps")


def _family(value: str) -> Family:
    try:
        return Family(value)
    except ValueError:
        names = ", ".join(f.value for f in Family)
        raise NotFoundError(f"no platform family {value!r} (families: {names})") from None


@blp.route("/apps")
class Apps(MethodView):
    @blp.response(200, AppListSchema)
    def get(self) -> dict[str, Any]:
        """Every registered app, secrets shown by their last 4 characters."""
        return {"items": services().apps.all()}


@blp.route("/apps/<family>")
class AppByFamily(MethodView):
    @blp.arguments(AppBodySchema)
    @blp.response(200, AppSchema)
    @blp.alt_response(404, description="no such family")
    @blp.alt_response(422, description="invalid body, or the callback failed the handshake")
    def put(self, body: dict[str, Any], family: str) -> PlatformApp:
        """Register (or replace) the family's app. Meta's verification request is sent to
        the callback first; the app is kept only if it answers 200 with the challenge."""
        return services().apps.register(AppRegistration(_family(family), **body))

    @blp.response(200, AppSchema)
    @blp.alt_response(404, description="no app registered for the family")
    def get(self, family: str) -> PlatformApp:
        """The family's app."""
        return services().apps.get(_family(family))

    @blp.response(204)
    @blp.alt_response(404, description="no app registered for the family")
    def delete(self, family: str) -> None:
        """Forget the family's app."""
        services().apps.remove(_family(family))
