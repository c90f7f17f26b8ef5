"""``python -m eventcoder.actors compile``: build the actor index under data/compiled/."""

from __future__ import annotations

import sys
import time


def main(argv: list[str]) -> int:
    """Run the command named in ``argv`` (only ``compile``)."""
    if argv != ["compile"]:
        print("usage: python -m eventcoder.actors compile", file=sys.stderr)
        return 2
    from eventcoder.actors import compile_kb, load_kb
    from eventcoder.errors import DataError

    started = time.perf_counter()
    try:
        path = compile_kb()
    except DataError as exc:  # a missing source folder: say which, in one line
        print(f"actors: {exc}", file=sys.stderr)
        return 1
    kb = load_kb()
    print(f"actors: {len(kb.index.entries)} entries, {len(kb.index.exact)} keys -> {path} "
          f"({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
