"""The shipped scenarios: one YAML file each in the package's `scenarios/` folder."""

from importlib import resources
from typing import Any

import yaml

from app.domain.scenarios import ScenarioError, UnknownScenarioError


class ScenarioFiles:
    """Scenario documents by name, read from YAML (a file that does not parse names its
    line)."""

    def __init__(self) -> None:
        self._folder = resources.files("app") / "scenarios"

    def names(self) -> list[str]:
        return sorted(
            f.name.removesuffix(".yaml") for f in self._folder.iterdir() if f.name.endswith(".yaml")
        )

    def document(self, name: str) -> dict[str, Any]:
        if name not in self.names():
            raise UnknownScenarioError(name, self.names())
        return read_yaml(name, (self._folder / f"{name}.yaml").read_text(encoding="utf-8"))


def read_yaml(name: str, text: str) -> dict[str, Any]:
    """A scenario's document from its YAML; ScenarioError naming the line where it does not
    parse."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{name}.yaml{where}: {problem}") from None
    if not isinstance(document, dict):
        raise ScenarioError(f"{name}.yaml: a scenario is a mapping (description, stages, …)")
    return document
