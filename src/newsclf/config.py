"""Feature settings: one frozen object, saved into every model's meta.json (no heavy imports)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["FeatureConfig"]


@dataclass(frozen=True)
class FeatureConfig:
    """Every feature-extraction setting in one place; saved into each model's meta.json."""

    word_ngram_range: tuple[int, int] = (1, 2)
    char_ngram_range: tuple[int, int] = (2, 5)
    word_min_df: int = 2
    char_min_df: int = 2
    word_max_features: int | None = 200_000
    char_max_features: int | None = 300_000
    max_df: float = 0.9
    sublinear_tf: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FeatureConfig:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("word_ngram_range", "char_ngram_range"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)
