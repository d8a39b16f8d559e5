"""The one result shape: what the Python API returns and the CLI writes as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Prediction", "StanceResult", "TopicScore"]


@dataclass(frozen=True)
class TopicScore:
    label: str
    score: float


@dataclass
class StanceResult:
    """Stance toward a target: the best label and every label's probability, or an error."""

    label: str | None
    scores: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict:
        out: dict = {
            "label": self.label,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass
class Prediction:
    """Topics (primary first) and every label's score for one article, or why there are none.

    ``error`` is set, and ``topics`` empty, when the item could not be classified; ``warnings``
    lists problems that still allowed a prediction (little Arabic text, text cut to length).
    """

    id: str | None
    topics: list[TopicScore] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    parent_id: str | None = None
    explain: dict[str, list[tuple[str, float]]] | None = None
    stance: StanceResult | None = None

    @property
    def primary(self) -> str | None:
        """The primary topic id, or None for an error result."""
        return self.topics[0].label if self.topics else None

    @property
    def labels(self) -> list[str]:
        return [t.label for t in self.topics]

    def to_dict(self) -> dict:
        out: dict = {"id": self.id}
        if self.parent_id is not None:
            out["parent_id"] = self.parent_id
        out["topics"] = [{"label": t.label, "score": round(t.score, 4)} for t in self.topics]
        out["scores"] = {k: round(v, 4) for k, v in self.scores.items()}
        if self.stance is not None:
            out["stance"] = self.stance.to_dict()
        if self.explain is not None:
            out["explain"] = {k: [[g, w] for g, w in v] for k, v in self.explain.items()}
        out["warnings"] = list(self.warnings)
        out["error"] = self.error
        return out

    @classmethod
    def failed(cls, id: str | None, error: str, warnings: list[str] | None = None) -> Prediction:
        return cls(id=id, warnings=list(warnings or []), error=error)
