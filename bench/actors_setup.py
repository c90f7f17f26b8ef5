"""Benchmark what the actor sources add to set-up: reading them and compiling their entries.

    .venv/bin/python bench/actors_setup.py      # prints one JSON line

``setup_added_s`` is the time to read officeholders.tsv, us_congress.tsv and parties.tsv plus the
extra time the index build takes with their entries (full build minus a build without them);
the target is <= 60 s. ``full_build_s`` is the whole ``python -m eventcoder.actors compile`` build.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Time the source reads and two index builds (with and without the source entries); print JSON."""
    sys.path.insert(0, str(ROOT / "src"))
    from eventcoder.actors.index import build_index
    from eventcoder.actors.sources import read_entries

    started = time.perf_counter()
    from eventcoder.actors.officeholders import read_officeholders
    from eventcoder.actors.organisations import read_parties

    people, parties = read_officeholders(), read_parties()
    read_s = time.perf_counter() - started
    entries = read_entries()
    base = [e for e in entries if e.kind not in ("official", "party")]
    started = time.perf_counter()
    build_index(base)
    base_s = time.perf_counter() - started
    started = time.perf_counter()
    build_index(entries)
    full_s = time.perf_counter() - started
    print(json.dumps({"bench": "actors_setup", "officials": len(people), "party_names": len(parties),
                      "read_sources_s": round(read_s, 1), "base_build_s": round(base_s, 1),
                      "full_build_s": round(full_s, 1), "setup_added_s": round(read_s + full_s - base_s, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
