"""Places stage: toponyms in the text, resolved to GeoNames places in document context.

``load_gazetteer()`` gives the gazetteer, ``Geocoder(gazetteer)`` the stage:
``geocoder(parsed, events)`` fills ``Event.location``; ``geocoder.toponyms(parsed)`` and
``geocoder.resolve_spans(text, spans, parsed)`` serve the geo evaluation.
"""

from eventcoder.places.compiled import load_gazetteer
from eventcoder.places.gazetteer import Gazetteer, Place, fold_name
from eventcoder.places.geocoder import Geocoder
from eventcoder.places.toponyms import Toponym

__all__ = ["Gazetteer", "Geocoder", "Place", "Toponym", "fold_name", "load_gazetteer"]
