"""Build the actors dev set from the PLOVER gold sentences and score a resolver on it.

    python tests/actors_dev.py            # rewrite build/eval/plover_gsr.actors.jsonl, print the scores
    python tests/actors_dev.py --build    # only rewrite it (make setup does this)

The gold actors of ../shared/eval/dev/plover_gsr.events.jsonl (CC BY-SA 4.0, Open Event Data
Alliance) become FORMAT.md ``actors`` lines: CAMEO country codes mapped to ISO-3 through
data/actors/cameo_countries.tsv, sectors cut to their PLOVER code (CVLalb -> CVL, JRN -> MED, MED -> HLH).
The file is derived from ../shared, so it is built into the git-ignored build/eval/, never committed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GSR = ROOT.parent / "shared" / "eval" / "dev" / "plover_gsr.events.jsonl"
DEV = ROOT / "build" / "eval" / "plover_gsr.actors.jsonl"
SECTOR_ALIASES = {"JRN": "MED", "MED": "HLH", "CIV": "CVL"}  # CAMEO MED is medical, JRN the press

Resolve = Callable[[str, Any], tuple[str | None, str | None]]


def gold_sector(raw: str | None) -> str | None:
    """Return the PLOVER sector of a gold code: CVLalb -> CVL, JRN -> MED, *** -> None."""
    from eventcoder.actors.sources import SECTORS

    code = (raw or "")[:3].upper()
    code = SECTOR_ALIASES.get(code, code)
    return code if code in SECTORS else None


def build_records(gsr: Path = GSR) -> list[dict[str, Any]]:
    """Return one actors line per gold actor or recipient with text and a known country."""
    from eventcoder.actors import normalize_country

    records = []
    for line in gsr.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        for e_number, event in enumerate(item.get("events", [])):
            for role in ("actors", "recipients"):
                for a_number, actor in enumerate(event.get(role, [])):
                    text, country = (actor.get("text") or "").strip(), normalize_country(actor.get("country"))
                    if not text or country is None or not _known(country):
                        continue
                    records.append({"id": f"{item['id']}-{e_number}-{role[0]}{a_number}", "text": text,
                                    "date": item.get("date"), "country": country,
                                    "sector": gold_sector(actor.get("sector"))})
    return records


def _known(code: str) -> bool:
    import pycountry

    return code in {"IGO", "NGO", "IMG", "XKX", "SUN"} or pycountry.countries.get(alpha_3=code) is not None


def read_records(path: Path = DEV) -> list[dict[str, Any]]:
    """Read an actors JSONL file."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def score(records: Iterable[dict[str, Any]], resolve: Resolve) -> dict[str, Any]:
    """Return FORMAT.md actors metrics (n, country_acc, sector_acc) and the misses."""
    from datetime import date

    from eventcoder.actors import country_matches

    n = country_right = country_n = sector_right = sector_n = 0
    misses = []
    for record in records:
        n += 1
        when = date.fromisoformat(record["date"]) if record.get("date") else None
        country, sector = resolve(record["text"], when)
        if "country" in record and record["country"] is not None:
            country_n += 1
            if country_matches(country, record["country"]):
                country_right += 1
            else:
                misses.append((record["text"], record["country"], country))
        if record.get("sector"):
            sector_n += 1
            sector_right += sector == record["sector"]
    return {"kind": "actors", "n": n, "country_acc": country_right / max(country_n, 1),
            "sector_acc": sector_right / max(sector_n, 1), "misses": misses}


def kb_resolver() -> Resolve:
    """Return the actors stage as a (country, sector) function."""
    from eventcoder.actors import load_kb

    kb = load_kb()

    def resolve(text: str, when: Any) -> tuple[str | None, str | None]:
        actor = kb.resolve(text, when)
        return (actor.country, actor.sector) if actor else (None, None)

    return resolve


def build(gsr: Path = GSR, out: Path = DEV) -> Path | None:
    """Write the dev file from the shared gold set; return it, or ``None`` when the gold set is not here."""
    if not gsr.exists():
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in build_records(gsr))
    if not out.exists() or out.read_text("utf-8") != text:
        out.write_text(text, "utf-8")
    return out


def main(argv: list[str]) -> int:
    """Rewrite the dev file from the shared gold set when present, then print its scores (unless --build)."""
    built = build()
    if "--build" in argv:
        print(f"actors dev set -> {built}" if built else f"actors dev set not built: {GSR} is not here")
        return 0
    if built is None:
        print(f"{GSR} is not here", file=sys.stderr)
        return 1
    result = score(read_records(), kb_resolver())
    for text, gold, got in result.pop("misses"):
        print(f"miss: {text!r} gold {gold} got {got}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
