from flask.views import MethodView

from app.entrypoints.http.context import container
from app.entrypoints.http.safety import Blueprint
from app.entrypoints.http.schemas import ReadinessSchema

blp = Blueprint("health", __name__, description="Liveness and readiness")


@blp.route("/healthz")
class Liveness(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ReadinessSchema)
    def get(self) -> dict[str, object]:
        """The process answers."""
        return {"status": "ok", "checks": {}}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ReadinessSchema)
    @blp.alt_response(503, schema=ReadinessSchema, description="something it needs is down")
    def get(self) -> tuple[dict[str, object], int]:
        """PostgreSQL and Redis both answer; 503 names what does not."""
        problems = container().health()
        checks = {
            name: "ok" if problem is None else f"down: {problem}"
            for name, problem in problems.items()
        }
        down = [name for name, problem in problems.items() if problem is not None]
        if down:
            return {"status": f"unavailable: {', '.join(down)} down", "checks": checks}, 503
        return {"status": "ready", "checks": checks}, 200
