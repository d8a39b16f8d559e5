"""newsclf: Arabic news topic and stance classification.

>>> import newsclf
>>> clf = newsclf.load()                      # models/ or $NEWSCLF_MODELS
>>> clf.classify("...").primary               # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from .classifier import Classifier, load
from .result import Prediction, StanceResult, TopicScore

__all__ = ["Classifier", "Prediction", "StanceResult", "TopicScore", "__version__", "load"]
