"""The metrics of eval/FORMAT.md, computed from gold records and injected predictors.

Choices FORMAT.md leaves open, fixed here:

- A ratio with nothing to count (0/0) is ``None``; F1 is ``None`` when both precision and recall
  are, and otherwise treats a ``None`` side as 0.
- events: when several predicted events have a type the gold event accepts, the actor (recipient)
  country is right if any of them has one of the gold actors' (recipients') countries. ``per_type``
  maps each type to its F1: a distinct predicted type counts for itself; a gold event counts for the
  type that met it (found) or that it accepts (missed), its own label first, else the first
  alphabetically. Summed over types, the counts are those of the micro metrics.
- events: a gold event's ``location`` (its ``text``) is scored, as ``location_acc``, over gold events
  with a matched type: right when a matched predicted event's place names it (``same_place``: the same
  words, or the same words once spelling variants are folded, ``variant_key``), or when the predicted
  place's GeoNames id is one the gold name stands for (``Predictors.place_ids``: its places by name,
  alias or spelling variant, and those at another level), so "Amara" is right for "Amhara" and
  "Nord-Kivu" for "North Kivu"; a gold ``text`` of "" means no place, right when the matched events
  give none.
- geo: gold spans outside the text, or not spelling their ``phrase``, are skipped and counted in
  ``n_skipped``. A prediction is "within 161 km" at a great-circle distance <= 161 km; an
  unresolved gold span counts as UNRESOLVED_KM (half the Earth's circumference) in the median.
  Every gold span of an article, located or not, is given to the span resolver as context.
  ``entity_acc_gold_spans`` is scored over located gold spans with a ``geonameid``: right when the
  span resolves to that GeoNames place or to the same place at another level (the city of New York
  for the state, a county for its like-named seat); ``None`` when no gold span has an id.
- Countries are compared by ``eventcoder.actors.country_matches`` (CAMEO codes read as ISO-3: gold
  "JAP" is "JPN"; IGO and NGO match each other). A gold code naming no country (a region such as
  "AFR") is no gold actor country for the events metrics.
- actors: a gold country of "" (or a region code) means "no country": right only when nothing is
  predicted; a missing or null gold country is not scored. A gold sector is compared case-blind.
"""

from __future__ import annotations

import math
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from eventcoder.actors import country_matches, normalize_country
from eventcoder.errors import EvalError
from eventcoder.evaluate.gold import GoldActor, GoldEventRecord, GoldGeoRecord, GoldToponym
from eventcoder.places.gazetteer import variant_key

EARTH_RADIUS_KM = 6371.0088
UNRESOLVED_KM = 20037.5  # half the Earth's circumference: no guess is as wrong as the worst guess
ACC_KM = 161.0


class TextItem(NamedTuple):
    """A text to predict on, with its publication date."""

    text: str
    published: date | None


class SpanItem(NamedTuple):
    """A text and the gold toponym spans to resolve in it."""

    text: str
    published: date | None
    spans: tuple[tuple[int, int], ...]


# Events that happened: the types scored. A negative record's false events are counted by modality.
COUNTED_MODALITIES = frozenset({"asserted", "historical"})


@dataclass(frozen=True)
class PredictedEvent:
    """What the events metrics read of a coded event."""

    event_type: str
    actor_country: str | None = None
    recipient_country: str | None = None
    modality: str = "asserted"
    location: str | None = None
    location_id: int | None = None  # the place's GeoNames id


@dataclass(frozen=True)
class PredictedToponym:
    """A predicted toponym span and where it was resolved (``None`` when unresolved)."""

    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    same_place: tuple[int, ...] = ()  # GeoNames ids of the same place at another level (New York city/state)

    def names(self, geonameid: int | None) -> bool:
        """Say whether this prediction is GeoNames place ``geonameid`` or the same place at another level."""
        return geonameid is not None and (geonameid == self.geonameid or geonameid in self.same_place)


@dataclass(frozen=True)
class GeoPrediction:
    """Toponyms found end to end, and the gold spans resolved in context (one each, ``None`` if unresolved)."""

    toponyms: tuple[PredictedToponym, ...]
    resolved: tuple[PredictedToponym | None, ...]


@dataclass(frozen=True)
class PredictedActor:
    """An actor mention resolved: country and sector, ``None`` where unknown."""

    country: str | None = None
    sector: str | None = None


EventsPredictor = Callable[[Sequence[TextItem]], Iterable[Sequence[PredictedEvent]]]
GeoPredictor = Callable[[Sequence[SpanItem]], Iterable[GeoPrediction]]
ActorPredictor = Callable[[Sequence[TextItem]], Iterable[PredictedActor]]
PlaceIds = Callable[[str], Collection[int]]


@dataclass(frozen=True)
class Predictors:
    """The system under test, one batch function per kind; each yields one answer per item, in order."""

    events: EventsPredictor | None = None
    geo: GeoPredictor | None = None
    actors: ActorPredictor | None = None
    place_ids: PlaceIds | None = None  # the GeoNames ids a gold event place's name may stand for


@dataclass
class Share:
    """A running count of right answers out of those scored."""

    right: int = 0
    scored: int = 0

    def add(self, right: bool) -> None:
        """Count one scored answer."""
        self.scored += 1
        self.right += right

    @property
    def value(self) -> float | None:
        """Return the share right, ``None`` when nothing was scored."""
        return ratio(self.right, self.scored)


def ratio(hits: int, total: int) -> float | None:
    """Return hits/total, ``None`` when there is nothing to count."""
    return hits / total if total else None


def f1(precision: float | None, recall: float | None) -> float | None:
    """Return the harmonic mean; ``None`` when both sides are, a ``None`` side counting as 0."""
    if precision is None and recall is None:
        return None
    p, r = precision or 0.0, recall or 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _answers(predictor: Callable[[Sequence[Any]], Iterable[Any]] | None, items: Sequence[Any], kind: str) -> list[Any]:
    if predictor is None:
        raise EvalError(f"no {kind} predictor was given; cannot score a {kind} gold file")
    answers = list(predictor(items))
    if len(answers) != len(items):
        raise EvalError(f"the {kind} predictor gave {len(answers)} answers for {len(items)} items")
    return answers


def _label(event_label: str, types: frozenset[str]) -> str:
    """Return the type a gold event counts for in ``per_type``: its label if among ``types``, else the first."""
    return event_label if event_label in types else min(types)


def score_events(records: Sequence[GoldEventRecord], predictors: Predictors) -> dict[str, Any]:
    """Score event types and actor/recipient countries per record, micro-averaged over the file."""
    answers = _answers(predictors.events, [TextItem(r.text, r.published) for r in records], "events")
    gold_n: Counter[str] = Counter()
    gold_hit: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    pred_hit: Counter[str] = Counter()
    roles = {"actor": Share(), "recipient": Share()}
    places = Share()
    negatives = Negatives()
    place_ids = predictors.place_ids or (lambda name: ())
    for record, every in zip(records, answers, strict=True):
        if not record.events:
            negatives.add(every)
        predicted = [p for p in every if p.modality in COUNTED_MODALITIES]
        types = {p.event_type.upper() for p in predicted}
        accepted = frozenset().union(*(g.accept for g in record.events))
        for predicted_type in types:
            pred_n[predicted_type] += 1
            pred_hit[predicted_type] += predicted_type in accepted
        for gold in record.events:
            met = gold.accept & types
            label = _label(gold.label, met or gold.accept)
            gold_n[label] += 1
            if not met:
                continue
            gold_hit[label] += 1
            matched = [p for p in predicted if p.event_type.upper() in gold.accept]
            for role, countries in (("actor", gold.actor_countries), ("recipient", gold.recipient_countries)):
                wanted = [c for c in countries if normalize_country(c) is not None]
                if not wanted:
                    continue
                roles[role].add(any(country_matches(_country(p, role), c) for p in matched for c in wanted))
            if gold.location is not None:
                ids = place_ids(gold.location) if gold.location else ()
                places.add(any(same_place(p.location, gold.location) or p.location_id in ids for p in matched))
    precision = ratio(sum(pred_hit.values()), sum(pred_n.values()))
    recall = ratio(sum(gold_hit.values()), sum(gold_n.values()))
    detail = {
        t: {"precision": ratio(pred_hit[t], pred_n[t]), "recall": ratio(gold_hit[t], gold_n[t]),
            "f1": f1(ratio(pred_hit[t], pred_n[t]), ratio(gold_hit[t], gold_n[t])),
            "n_gold": gold_n[t], "n_predicted": pred_n[t]}
        for t in sorted(set(gold_n) | set(pred_n))
    }
    result = {
        "kind": "events",
        "n_records": len(records),
        "n_gold": sum(gold_n.values()),
        "n_predicted": sum(pred_n.values()),
        "type_precision": precision,
        "type_recall": recall,
        "type_f1": f1(precision, recall),
        "actor_country_acc": roles["actor"].value,
        "n_actor_scored": roles["actor"].scored,
        "recipient_country_acc": roles["recipient"].value,
        "n_recipient_scored": roles["recipient"].scored,
        "location_acc": places.value,
        "n_location_scored": places.scored,
        "per_type": {t: d["f1"] for t, d in detail.items()},
        "per_type_detail": detail,
    }
    if negatives.records:
        result.update(negatives.metrics())
    return result


@dataclass
class Negatives:
    """The false events predicted on negative records (gold records with no event)."""

    records: int = 0
    with_asserted: int = 0
    asserted: int = 0
    every: int = 0

    def add(self, predicted: Sequence[PredictedEvent]) -> None:
        asserted = sum(p.modality == "asserted" for p in predicted)
        self.records += 1
        self.with_asserted += asserted > 0
        self.asserted += asserted
        self.every += len(predicted)

    def metrics(self) -> dict[str, Any]:
        return {
            "n_negative_records": self.records,
            "negative_records_with_events": ratio(self.with_asserted, self.records),
            "events_per_negative_record": ratio(self.asserted, self.records),
            "all_events_per_negative_record": ratio(self.every, self.records),
        }


def _place_words(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return " " + " ".join(plain.split()) + " "


def same_place(predicted: str | None, gold: str) -> bool:
    """Say whether a predicted event place names the gold one (``""``: no place, right when none is given).

    Names are compared case- and accent-blind, whole words: "Gaza City" names "Gaza", "Kharkiv" names
    "Kharkiv region"; then so again with spelling variants folded (``variant_key``): "Deir El Balah"
    names "Deir al-Balah".
    """
    if not gold:
        return not predicted
    if not predicted:
        return False
    return any(a.strip() != "" and (a in b or b in a)
               for a, b in ((_place_words(predicted), _place_words(gold)),
                            (_place_words(variant_key(predicted)), _place_words(variant_key(gold)))))


def _country(event: PredictedEvent, role: str) -> str | None:
    return event.actor_country if role == "actor" else event.recipient_country


def _overlaps(a: PredictedToponym, b: GoldToponym) -> bool:
    return a.start < b.end and b.start < a.end


def _distance_km(predicted: PredictedToponym | None, gold: GoldToponym) -> float:
    """Return the distance from a prediction to the gold point; UNRESOLVED_KM when there is none."""
    if predicted is None or predicted.lat is None or predicted.lon is None or gold.lat is None or gold.lon is None:
        return UNRESOLVED_KM
    return haversine_km(predicted.lat, predicted.lon, gold.lat, gold.lon)


def score_geo(records: Sequence[GoldGeoRecord], predictors: Predictors) -> dict[str, Any]:
    """Score toponym recognition and resolution, end to end and on gold spans."""
    items = [SpanItem(r.text, r.published, tuple((t.start, t.end) for t in r.toponyms)) for r in records]
    answers: list[GeoPrediction] = _answers(predictors.geo, items, "geo")
    found = near = near_gold_spans = n_predicted = predicted_right = 0
    entity = Share()
    distances: list[float] = []
    for record, answer in zip(records, answers, strict=True):
        if len(answer.resolved) != len(record.toponyms):
            raise EvalError(f"{record.id}: the geo predictor resolved {len(answer.resolved)} of "
                            f"{len(record.toponyms)} gold spans; it must answer each (None if unresolved)")
        n_predicted += len(answer.toponyms)
        predicted_right += sum(any(_overlaps(p, g) for g in record.toponyms) for p in answer.toponyms)
        for gold, resolved in zip(record.toponyms, answer.resolved, strict=True):
            if not gold.located:
                continue
            overlapping = [p for p in answer.toponyms if _overlaps(p, gold)]
            found += bool(overlapping)
            near += any(_distance_km(p, gold) <= ACC_KM for p in overlapping)
            distances.append(_distance_km(resolved, gold))
            near_gold_spans += distances[-1] <= ACC_KM
            if gold.geonameid is not None:
                entity.add(resolved is not None and resolved.names(gold.geonameid))
    n_gold = len(distances)
    return {
        "kind": "geo",
        "n_records": len(records),
        "n_gold": n_gold,
        "n_skipped": sum(r.n_invalid for r in records),
        "n_predicted": n_predicted,
        "toponym_recall": ratio(found, n_gold),
        "toponym_precision": ratio(predicted_right, n_predicted),
        "acc161": ratio(near, n_gold),
        "acc161_gold_spans": ratio(near_gold_spans, n_gold),
        "median_km_gold_spans": statistics.median(distances) if distances else None,
        "entity_acc_gold_spans": entity.value,
    }


def score_actors(records: Sequence[GoldActor], predictors: Predictors) -> dict[str, Any]:
    """Score actor resolution: country over lines with a gold country, sector over lines with a gold sector."""
    answers: list[PredictedActor] = _answers(predictors.actors, [TextItem(r.text, r.when) for r in records], "actors")
    country, sector = Share(), Share()
    for gold, predicted in zip(records, answers, strict=True):
        if gold.country is not None:
            country.add(country_matches(predicted.country, gold.country))
        if gold.sector is not None:
            sector.add((predicted.sector or "").strip().upper() == gold.sector)
    return {
        "kind": "actors",
        "n": len(records),
        "n_country": country.scored,
        "n_sector": sector.scored,
        "country_acc": country.value,
        "sector_acc": sector.value,
    }
