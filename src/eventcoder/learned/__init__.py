"""The learned event layer: fill and re-type the rule coder's events from the project's own corpus.

``python -m eventcoder.learned train`` (``make train``) builds it from the corpus train split into the
git-ignored ``data/compiled/learned/``; without it the pipeline codes with its rules alone and says so
once. ``Pipeline(learned=False)`` or ``EVENTCODER_LEARNED=off`` turns it off. See ``model.py``.
"""

from eventcoder.learned.layer import LearnedLayer, load_or_none
from eventcoder.learned.model import Thresholds, TypeModel, decide, load_type_model

__all__ = ["LearnedLayer", "Thresholds", "TypeModel", "decide", "load_or_none", "load_type_model"]
