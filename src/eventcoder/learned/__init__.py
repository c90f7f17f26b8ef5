"""The learned event layer: fill and re-type the rule coder's events from the project's own corpus.

``python -m eventcoder.learned train`` (``make train``) builds it from the corpus train split into the
git-ignored ``data/compiled/learned/``. It is off by default (it costs about a fifth of the throughput for a
small gain): ``Pipeline(learned=True)``, ``--learned`` or ``EVENTCODER_LEARNED=on`` turns it on; asked for
but not built, the pipeline codes with its rules alone and says so once. See ``model.py``.
"""

from eventcoder.learned.layer import LearnedLayer, load_or_none
from eventcoder.learned.model import Thresholds, TypeModel, decide, load_type_model

__all__ = ["LearnedLayer", "Thresholds", "TypeModel", "decide", "load_or_none", "load_type_model"]
