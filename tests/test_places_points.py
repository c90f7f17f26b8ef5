"""Where curated points come from: package GeoNames data or GeoNames' own points by id, never a gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventcoder.errors import DataError
from eventcoder.places.compiled import INDEX_NAME, compiled_dir, read_compiled
from eventcoder.places.gazetteer import GazetteerData
from eventcoder.places.sources import _country_info, _geonames_points, build_gazetteer_data, load_curated

DEV_GEO = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "geowebnews.geo.jsonl"

# Hand-typed points of regions.yaml that equal a dev gold point and have no GeoNames id yet: each should
# get its GeoNames id or a point built from package data (issue 17). The list may only shrink.
UNSOURCED = {"Middle East", "Atlantic Ocean", "Indian Ocean", "Mediterranean Sea", "Persian Gulf"}
# Land regions that still give a hand-typed point: the package data has no place or parts to build it from
# without losing on dev (the Middle East from its countries: -8 tokens). The list may only shrink.
HAND_TYPED_LAND = {"Middle East"}


@pytest.fixture(scope="module")
def data() -> GazetteerData:
    return read_compiled(compiled_dir() / INDEX_NAME) or build_gazetteer_data()


def _key(lat: float, lon: float) -> tuple[float, float]:
    return round(lat, 2), round(lon, 2)


def _dev_gold_points() -> set[tuple[float, float]]:
    if not DEV_GEO.exists():
        pytest.skip(f"{DEV_GEO} is not there (shared data)")
    points = set()
    for line in DEV_GEO.read_text("utf-8").splitlines():
        for toponym in json.loads(line)["toponyms"]:
            if toponym.get("lat") is not None:
                points.add(_key(toponym["lat"], toponym["lon"]))
    return points


def test_places_curated_points_not_from_gold() -> None:
    """A hand-typed region point equal to a dev gold point (2 decimals) must be GeoNames' own, given with its id.

    geonames_points are GeoNames' own by construction: keyed by the id the package data gives the place.
    """
    gold = _dev_gold_points()
    curated = load_curated()
    without_id = {r["name"] for r in curated["regions"]
                  if "lat" in r and _key(r["lat"], r["lon"]) in gold and not r.get("geonameid")}
    assert without_id <= UNSOURCED, sorted(without_id - UNSOURCED)
    assert without_id >= UNSOURCED, f"sourced now, drop from UNSOURCED: {sorted(UNSOURCED - without_id)}"


def test_places_hand_typed_regions_are_waters() -> None:
    """Only seas, oceans and lakes (no package data has them) and HAND_TYPED_LAND give ``lat``/``lon``."""
    curated = load_curated()
    typed_land = {r["name"] for r in curated["regions"] if "lat" in r and r.get("feature") != "water"}
    assert typed_land <= HAND_TYPED_LAND, sorted(typed_land - HAND_TYPED_LAND)
    assert typed_land >= HAND_TYPED_LAND, f"built from package data now, drop: {sorted(HAND_TYPED_LAND - typed_land)}"


def test_places_geonames_points_set_countries_and_admin_areas(data: GazetteerData) -> None:
    points = load_curated()["geonames_points"]
    placed = {data.geonameids[n]: n for n in range(len(data.names))
              if data.features[n] in ("country", "admin1") and data.geonameids[n] in points}
    assert set(placed) == set(points)
    for geonameid, (lat, lon) in points.items():
        number = placed[geonameid]
        assert (data.lats[number], data.lons[number]) == (round(lat, 5), round(lon, 5)), data.names[number]


def test_places_other_country_points_are_countryinfo_centres(data: GazetteerData) -> None:
    """No country point is typed by hand outside geonames_points: the rest are countryinfo's centres."""
    points = load_curated()["geonames_points"]
    centres = {record["ISO"]["alpha3"]: record["latlng"] for record in _country_info().values()
               if len(record.get("latlng", [])) == 2}
    checked = 0
    for iso3, number in data.country_places.items():
        if data.geonameids[number] in points or iso3 not in centres:
            continue
        assert (data.lats[number], data.lons[number]) == (round(centres[iso3][0], 5), round(centres[iso3][1], 5)), iso3
        checked += 1
    assert checked > 200


def test_places_regions_at_take_package_points(data: GazetteerData) -> None:
    """A region written ``at`` one place takes its point; at several, a point inside their box."""
    by_id: dict[int, int] = {}
    for number, geonameid in enumerate(data.geonameids):
        if geonameid is not None:
            by_id.setdefault(geonameid, number)
    regions = [r for r in load_curated()["regions"] if "at" in r]
    assert {r["name"] for r in regions} >= {"Kremlin", "White House", "Latin America", "Donbas", "Central Asia"}
    for region in regions:
        number = len(data.names) - 1 - data.names[::-1].index(region["name"])  # regions come last
        at = region["at"] if isinstance(region["at"], list) else [region["at"]]
        sources = [by_id[a] if isinstance(a, int) else data.country_places[a] for a in at]
        lats, lons = [data.lats[n] for n in sources], [data.lons[n] for n in sources]
        assert min(lats) <= data.lats[number] <= max(lats), region["name"]
        assert min(lons) <= data.lons[number] <= max(lons), region["name"]
        if len(sources) == 1:
            assert (data.lats[number], data.lons[number]) == (lats[0], lons[0]), region["name"]


def test_places_geonames_points_refuse_other_ids() -> None:
    small = GazetteerData()
    small.add("Springfield", 37.22, -93.30, "city", "USA", "Missouri", 170_000, 1)
    small.add("Texas", 31.0, -100.0, "admin1", "USA", "Texas", 28_000_000, 2)
    assert _geonames_points(small, {2: [31.25, -99.25]}) == {1: 0, 2: 1}
    assert (small.lats[1], small.lons[1]) == (31.25, -99.25)
    with pytest.raises(DataError, match="no country or admin1"):
        _geonames_points(small, {1: [37.0, -93.0]})  # a city's id
    with pytest.raises(DataError, match="no country or admin1"):
        _geonames_points(small, {99: [0.0, 0.0]})
