"""Convert the Phoenix CAMEO verb dictionary and the CAMEO→PLOVER table into eventcoder's TSV files.

Run by ``make setup``; the output goes to the git-ignored ``data/compiled/phoenix/`` (never committed)::

    python -m eventcoder.events.convert ../shared/data/phoenix/CAMEO.2.0.txt \
        ../shared/eval/dev/CAMEO2PLOVER-2021.txt src/eventcoder/data/compiled/phoenix
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CODE = re.compile(r"\[([^\]]*)\]")
HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
ARTICLES = frozenset({"a", "an", "the"})

# Modes of the 2021 table that PLOVER 0.8 renamed or dropped; None drops the mode.
MODE_FIXES: dict[tuple[str, str], str | None] = {
    ("THREATEN", "ban"): "restrict",
    ("THREATEN", "political"): "restrict",
    ("COERCE", "ban"): "restrict",
    ("RETREAT", "return"): "release",
    ("RETREAT", "ease"): None,
    ("ASSAULT", "seize"): "destroy",
    ("ASSAULT", "assassinate"): "targeted",
    ("ASSAULT", "massacre"): None,
    ("ASSAULT", "cleansing"): None,
    ("ASSAULT", "pro_autocracy"): None,
}
# Codes whose mode the 0.8 manual states more precisely than the 2021 table.
CODE_FIXES: dict[str, tuple[str, str | None]] = {
    "195": ("ASSAULT", "aerial"),
    "1823": ("ASSAULT", "beat"),
    "183": ("ASSAULT", "explosives"),
    "1712": ("ASSAULT", "destroy"),
    "175": ("ASSAULT", "crowd-control"),
    "163": ("SANCTION", None),  # embargoes and sanctions: PLOVER's SANCTION, though the 2021 table says COERCE
}
# CAMEO 02 (appeal) is folded into REQUEST by PLOVER; the 2021 table starts at 03.
APPEALS: dict[str, tuple[str, str]] = {
    "020": ("", ""), "021": ("assist", ""), "0211": ("assist", "economic"), "0212": ("assist", "military"),
    "0213": ("assist", "legal"), "0214": ("assist", "intelligence"), "022": ("assist", "diplomatic"),
    "023": ("assist", ""), "0231": ("assist", "economic"), "0232": ("assist", "military"),
    "0233": ("assist", "humanitarian"), "0234": ("assist", "peacekeeping"), "024": ("change", "political_institutions"),
    "0241": ("change", "executive"), "0242": ("change", "executive"), "0243": ("change", "rights_freedoms"),
    "0244": ("change", "political_institutions"), "025": ("yield", ""), "0251": ("yield", "legal"),
    "0252": ("yield", "legal"), "0253": ("yield", "legal"), "0254": ("yield", "economic"),
    "0255": ("yield", "diplomatic"), "0256": ("yield", "military"), "026": ("meet", "diplomatic"),
    "027": ("meet", "diplomatic"), "028": ("meet", "diplomatic"),
}


@dataclass(frozen=True)
class VerbPattern:
    """One row of the verb table: a verb key, words before and after it, and a CAMEO code."""

    verb: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    code: str | None

    def row(self) -> str:
        return "\t".join((self.verb, " ".join(self.before), " ".join(self.after), self.code or "---"))


def parse_code(text: str) -> str | None:
    """Read ``[041:041]``, ``[:173]`` or ``[---]`` as a CAMEO code, ``None`` for no event."""
    for part in text.split(":"):
        part = part.strip()
        if part.isdigit():
            return part
    return None


def pattern_words(text: str) -> list[str]:
    """Split a pattern side into lower-case words, dropping markup and articles."""
    cleaned = re.sub(r"[{}()$^%]", " ", text)
    words: list[str] = []
    for raw in cleaned.split():
        if raw.startswith("&"):
            words.append(raw.lower().rstrip("_"))
            continue
        for word in raw.lower().strip("_").split("_"):
            if word and word not in ARTICLES:
                words.append(word)
    return words


def read_synsets(text: str) -> dict[str, list[str]]:
    """Return the ``&NAME`` synonym sets: name -> words (multi-word ones joined by spaces)."""
    sets: dict[str, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if body.startswith("####### VERB PATTERNS"):
            break
        if body.startswith("&"):
            current = body.split()[0].lower().rstrip("_")
            sets[current] = []
        elif body.startswith("+") and current is not None:
            word = body[1:].split()[0].lower().strip("_").replace("_", " ")
            sets[current].append(word)
        elif not body:
            continue
        else:
            current = None
    return sets


def read_verb_patterns(text: str) -> Iterator[VerbPattern]:
    """Yield the verb keys with their own codes and the object patterns of their blocks."""
    started = False
    verbs: list[str] = []
    default: str | None = None
    for line in text.splitlines():
        if line.startswith("####### VERB PATTERNS"):
            started = True
            continue
        if not started:
            continue
        header = HEADER.match(line)
        if header:
            verbs, default = [], parse_code(header.group(2))
            continue
        body, _, comment = line.partition("#")
        body = body.rstrip()
        if not body.strip():
            continue
        code_match = CODE.search(body)
        code = parse_code(code_match.group(1)) if code_match else None
        if body.startswith("-"):
            if code_match is None or "*" not in body:
                continue
            before, _, after = CODE.sub(" ", body[1:]).partition("*")
            origin = comment.strip().split(" ")[0].split(",")[0].lower() if comment.strip() else ""
            owners = [origin] if origin in verbs else verbs
            for verb in owners:
                yield VerbPattern(verb, tuple(pattern_words(before)), tuple(pattern_words(after)), code)
            continue
        word = CODE.sub(" ", body).split("{")[0].strip().split()
        if not word:
            continue
        verb = word[0].lstrip("+").lower().strip("_")
        verbs.append(verb)
        yield VerbPattern(verb, (), (), code if code_match else default)


def read_mapping(text: str) -> Iterator[tuple[str, str, str, str]]:
    """Yield (CAMEO code, PLOVER type, mode, contexts) from the CAMEO2PLOVER table."""
    for appeal, (appeal_mode, context) in APPEALS.items():
        yield appeal, "REQUEST", appeal_mode, context
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if ":" not in body or body.startswith("~"):
            continue
        code, _, rest = body.partition(":")
        fields = [f.strip() for f in rest.split(",")]
        if len(code) < 3 or len(fields) < 2:
            continue
        event_type = fields[0]
        mode: str | None = fields[1] or None
        if code in CODE_FIXES:
            event_type, mode = CODE_FIXES[code]
        elif mode is not None and (event_type, mode) in MODE_FIXES:
            mode = MODE_FIXES[(event_type, mode)]
        contexts = [c.strip() for c in (fields[2] if len(fields) > 2 else "").split(";") if c.strip()]
        if event_type == "ASSAULT" and fields[1].strip() == "pro_autocracy":
            contexts = ["pro_autocracy", *contexts]
        yield code, event_type, mode or "", ";".join(contexts)


def convert(cameo_verbs: Path, cameo2plover: Path, out_dir: Path) -> tuple[int, int, int]:
    """Write verb_patterns.tsv, synsets.tsv and cameo2plover.tsv; return their row counts."""
    text = cameo_verbs.read_text("utf-8", errors="replace")
    header = "# Generated by `python -m eventcoder.events.convert` from {} (Phoenix/PETRARCH2, MIT). Do not edit.\n"
    patterns = sorted({p.row() for p in read_verb_patterns(text)})
    (out_dir / "verb_patterns.tsv").write_text(
        header.format(cameo_verbs.name) + "# verb\tbefore\tafter\tcameo\n" + "\n".join(patterns) + "\n", "utf-8")
    synsets = read_synsets(text)
    rows = sorted(f"{name}\t{word}" for name, words in synsets.items() for word in words)
    (out_dir / "synsets.tsv").write_text(
        header.format(cameo_verbs.name) + "# set\tword\n" + "\n".join(rows) + "\n", "utf-8")
    mapping = ["\t".join(row) for row in read_mapping(cameo2plover.read_text("utf-8"))]
    (out_dir / "cameo2plover.tsv").write_text(
        "# Generated by `python -m eventcoder.events.convert` from CAMEO2PLOVER-2021.txt (PLOVER team) plus\n"
        "# CAMEO 02 appeals folded into REQUEST; modes renamed to PLOVER 0.8. Do not edit.\n"
        "# cameo\ttype\tmode\tcontexts\n" + "\n".join(mapping) + "\n", "utf-8")
    return len(patterns), len(rows), len(mapping)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    Path(argv[2]).mkdir(parents=True, exist_ok=True)
    counts = convert(Path(argv[0]), Path(argv[1]), Path(argv[2]))
    print("verb patterns {}, synonyms {}, CAMEO codes {}".format(*counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
