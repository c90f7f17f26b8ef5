"""`python -m eventcoder.places compile`: build the gazetteer index into data/compiled/."""

from __future__ import annotations

import sys
import time

from eventcoder.places.compiled import save_gazetteer
from eventcoder.places.sources import build_gazetteer_data

USAGE = "usage: python -m eventcoder.places compile"


def main(argv: list[str]) -> int:
    """Run the command in ``argv``; return the exit code."""
    if argv != ["compile"]:
        print(USAGE, file=sys.stderr)
        return 2
    began = time.perf_counter()
    data = build_gazetteer_data()
    path = save_gazetteer(data)
    print(f"gazetteer: {len(data.names):,} places, {len(data.index):,} names -> {path} "
          f"({time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
