"""Convert the Phoenix (PETRARCH2, MIT) actor and agent dictionaries into eventcoder's TSV files.

Run by ``make setup``; the output goes to the git-ignored ``data/compiled/phoenix/`` (never committed)::

    python -m eventcoder.actors.convert_phoenix ../shared/data/phoenix src/eventcoder/data/compiled/phoenix
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ACTOR_FILES = {
    "C": "Phoenix.Countries.actors.txt",
    "I": "Phoenix.International.actors.txt",
    "M": "Phoenix.MilNonState.actors.txt",
}
AGENTS_FILE = "Phoenix.agents.txt"
COUNTRY_MAP = Path(__file__).resolve().parent.parent / "data" / "actors" / "cameo_countries.tsv"  # the project's own
SECTORS = frozenset(
    ["GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL", "REF", "LAB", "ELI",
     "HLH", "LEG", "UAF", "AGR", "ENV", "HRI", "DEV", "REL", "NGO", "IGO", "PRE", "SOC"]
)
RELIGIONS = frozenset(["MUS", "MOS", "CHR", "JEW", "BUD", "HIN", "CTH", "PRO", "ORT", "SHI", "SUN", "RAD", "ISL"])
CODE = re.compile(r"\[([A-Z~-]+)\s*([<>]?\d*(?:-\d+)?)\s*\]")


@dataclass
class Block:
    """One headword with its synonyms and dated codes."""

    source: str
    name: str
    aliases: list[str] = field(default_factory=list)
    codes: list[tuple[str, str]] = field(default_factory=list)


def display_name(raw: str) -> str:
    """Title-case a Phoenix name, keeping short all-caps acronyms as they are."""
    words = raw.replace("_", " ").split()
    out = []
    for word in words:
        short_acronym = len(word) <= 4 and word.isupper() and not any(v in word for v in "AEIOU")
        out.append(word if short_acronym or "." in word else word[:1].upper() + word[1:].lower())
    return " ".join(out)


def read_blocks(path: Path, source: str) -> Iterator[Block]:
    """Yield the actor blocks of one TABARI actor dictionary."""
    block: Block | None = None
    for line in path.read_text("utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].rstrip()
        if not body.strip():
            continue
        codes = [(m.group(1), m.group(2)) for m in CODE.finditer(body)]
        word = CODE.sub(" ", body).strip()
        if body[0] in " \t":
            if block is not None:
                block.codes.extend(codes)
            continue
        if body[0] == "+":
            if block is not None and word.strip("+"):
                block.aliases.append(word.lstrip("+"))
                block.codes.extend(codes)
            continue
        if block is not None:
            yield block
        block = Block(source, word, [], codes)
    if block is not None:
        yield block


def parse_date(text: str) -> str:
    """Turn ``080409`` or ``20070101`` into ``2008-04-09``; ``-`` when unreadable."""
    if len(text) == 6:
        year = int(text[:2])
        year += 2000 if year <= 30 else 1900
        month, day = text[2:4], text[4:6]
    elif len(text) == 8:
        year, month, day = int(text[:4]), text[4:6], text[6:8]
    else:
        return "-"
    if not ("01" <= month <= "12" and "01" <= day <= "31"):
        return "-"
    return f"{year:04d}-{month}-{day}"


def parse_span(text: str) -> tuple[str, str]:
    """Read a TABARI date restriction into (start, end), ``-`` for open."""
    if not text:
        return "-", "-"
    if text.startswith(">"):
        return parse_date(text[1:]), "-"
    if text.startswith("<"):
        return "-", parse_date(text[1:])
    start, _, end = text.partition("-")
    return parse_date(start), parse_date(end)


def role(code: str, span: str, countries: dict[str, str]) -> str | None:
    """Turn ``ARMGOVMIL`` + ``>080409`` into ``ARM GOV 2008-04-09 -``; ``None`` for no code."""
    head = code[:3]
    if code == "---":
        return None
    if head in SECTORS - {"IGO", "NGO"}:  # a bare sector such as [ELI]: no country
        head, code = "---", "---" + code
    country = countries.get(head, head)
    rest = [code[i:i + 3] for i in range(3, len(code), 3)]
    sector = next((s for s in rest if s in SECTORS), None)
    if sector is None and any(s in RELIGIONS for s in rest):
        sector = "REL"
    start, end = parse_span(span)
    return f"{country or '-'} {sector or '-'} {start} {end}"


def read_country_map(path: Path) -> dict[str, str]:
    """Read cameo_countries.tsv into {cameo code: eventcoder code or ''}."""
    mapping: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        mapping[cols[0]] = cols[1] if len(cols) > 1 else ""
    return mapping


def convert_actors(src: Path, out: Path) -> int:
    """Write phoenix_actors.tsv from the three actor dictionaries; return the entry count."""
    countries = read_country_map(COUNTRY_MAP)
    lines = ["# Converted from the Phoenix/PETRARCH2 dictionaries (MIT, Open Event Data Alliance, 2014).",
             "# source\tname\taliases (|)\troles (country sector start end; '-' = none)"]
    seen: set[str] = set()
    for source, filename in ACTOR_FILES.items():
        for block in read_blocks(src / filename, source):
            roles = [r for code, span in block.codes if (r := role(code, span, countries))]
            if not roles:
                continue
            name = display_name(block.name)
            aliases = sorted({display_name(a) for a in block.aliases} - {name})
            key = f"{name}|{';'.join(roles)}"
            if key in seen or not name:
                continue
            seen.add(key)
            lines.append("\t".join([source, name, "|".join(aliases), ";".join(roles)]))
    (out / "phoenix_actors.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    return len(lines) - 2


def convert_agents(src: Path, out: Path) -> int:
    """Write phoenix_agents.tsv (phrase, sector) from the agents dictionary, macros expanded."""
    macros: dict[str, list[str]] = {}
    rows: dict[str, str] = {}
    for line in (src / AGENTS_FILE).read_text("utf-8", errors="replace").splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        if body.startswith("!") and "=" in body:
            name, _, words = body.partition("=")
            macros[name.strip()] = [w.strip() for w in words.split(",")]
            continue
        match = re.search(r"\[~?([A-Z]*)~?\]", body)
        if not match:
            continue
        code = match.group(1)
        sector = next((code[i:i + 3] for i in range(0, len(code), 3) if code[i:i + 3] in SECTORS), None)
        if sector is None:
            sector = "REL" if code[:3] in RELIGIONS else "IGO" if "IGO" in body else None
        if sector is None:
            continue
        phrase = re.sub(r"\{[^}]*\}", " ", body[: match.start()]).strip()
        forms = [phrase]
        for macro, expansions in macros.items():
            if any(macro in f for f in forms):
                forms = [f.replace(macro, w) for f in forms for w in expansions]
        for form in forms:
            text = " ".join(form.replace("_", " ").lower().split())
            if text and "!" not in text:
                rows.setdefault(text, sector)
    lines = ["# Converted from Phoenix.agents.txt (PETRARCH2, MIT). phrase\tsector",
             *(f"{p}\t{s}" for p, s in sorted(rows.items()))]
    (out / "phoenix_agents.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    return len(rows)


def main(argv: list[str]) -> int:
    """Convert the dictionaries found in argv[0] into the data folder argv[1]."""
    src, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    print(f"actors: {convert_actors(src, out)}; agents: {convert_agents(src, out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
