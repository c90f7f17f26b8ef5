"""Map labels from the gazetteer: which names the page's base map writes at a zoom and view."""

from __future__ import annotations

from eventcoder.places.gazetteer import Gazetteer, GazetteerData
from eventcoder.places.labels import build_table, city_floor, labels


def _table():  # type: ignore[no-untyped-def]
    data = GazetteerData()
    data.add("Armenia", 40.25, 45.0, "country", "ARM", None, 2_900_000, 1)
    data.add("Azerbaijan", 40.5, 47.5, "country", "AZE", None, 10_000_000, 2)
    data.add("Kenya", 0.5, 38.0, "country", "KEN", None, 50_000_000, 8)
    data.add("Syunik", 39.5, 46.0, "admin1", "ARM", "Syunik", 140_000, 3)
    data.add("Yerevan", 40.18, 44.51, "city", "ARM", "Yerevan", 1_090_000, 4, capital=True)
    data.add("Goris", 39.51, 46.34, "city", "ARM", "Syunik", 20_000, 5)
    data.add("Goris duplicate", 39.5101, 46.3401, "city", "ARM", "Syunik", 19_000, 6)
    data.add("Hamlet", 39.6, 46.2, "city", "ARM", "Syunik", 0, 7)
    data.finish()
    return build_table(Gazetteer(data))


def test_places_labels_world_zoom_names_countries_only_without_overprinting() -> None:
    found = labels((-180, -85, 180, 85), 2, _table())
    assert [label.name for label in found] == ["Kenya", "Azerbaijan"]  # Armenia would overprint Azerbaijan


def test_places_labels_town_zoom_names_towns_and_regions_not_countries() -> None:
    found = labels((46.0, 39.3, 46.6, 39.7), 12, _table())
    names = [label.name for label in found]
    assert "Goris" in names and "Syunik" in names
    assert "Goris duplicate" not in names  # it would overprint Goris
    assert "Hamlet" not in names  # no population: not a town the map names
    assert not any(label.kind == "country" for label in found)


def test_places_labels_keep_to_the_view_and_grow_with_zoom() -> None:
    table = _table()
    assert all(44.0 <= label.lon <= 44.9 for label in labels((44.0, 39.0, 44.9, 41.0), 6, table))
    assert city_floor(2) is None and city_floor(6) == 250_000 and city_floor(12) == 1_000
    assert [label.name for label in labels((44.0, 39.0, 44.9, 41.0), 6, table)] == ["Yerevan"]
