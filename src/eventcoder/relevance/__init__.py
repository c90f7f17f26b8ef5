"""Relevance stage: a document's ``political`` score and each event's calibrated ``confidence``.

``Relevance`` is the stage; ``python -m eventcoder.relevance train`` (``make train``) rebuilds its model
from the project's own examples in ``data/relevance/``. See ``stage.py`` for how it decides.
"""

from eventcoder.relevance.artefact import Artefact, load_artefact, model_folder
from eventcoder.relevance.encoder import Encoder, MiniLMEncoder
from eventcoder.relevance.stage import Relevance, Scored

__all__ = [
           "Artefact",
           "Encoder",
           "MiniLMEncoder",
           "Relevance",
           "Scored",
           "load_artefact",
           "model_folder",
]
