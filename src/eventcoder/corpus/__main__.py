"""``python -m eventcoder.corpus COMMAND``: build, check and score the annotated corpus (docs/annotation.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eventcoder.corpus.annotations import (
    Annotation,
    check_against_records,
    load_records,
    read_annotations,
    write_annotations,
)
from eventcoder.corpus.split import Item, assign_splits, find_leaks
from eventcoder.corpus.stats import statistics
from eventcoder.errors import EventcoderError, run_subcommand

OPEN_NEWS = "../shared/corpus/open-news"
EVAL_DIR = "../shared/eval"
ANNOTATIONS = "data/annotations/open-news"
Records = Mapping[str, Mapping[str, Mapping[str, Any]]]


def story(source: str, record: Mapping[str, Any]) -> str:
    """Return the story a record belongs to: the portal's deepest story heading, else its title."""
    headings = record.get("story") or []
    return f"{source}:{headings[-1] if headings else record.get('title') or record['id']}"


def split_of(annotations: Sequence[Annotation], records: Records) -> dict[tuple[str, str, int], str]:
    """Return annotation key -> split."""
    items = {}
    for a in annotations:
        r = records[a.source][a.record]
        items["/".join(map(str, a.key))] = (a.key, Item("/".join(map(str, a.key)), r["text"][a.start:a.end],
                                                         story(a.source, r), r["date"]))
    splits = assign_splits(item for _, item in items.values())
    return {key: splits[name] for name, (key, _) in items.items()}


def eval_texts(folder: str | Path) -> dict[str, list[str]]:
    """Return every eval set's texts: ``*.jsonl`` under ``folder`` with a ``text`` field."""
    out: dict[str, list[str]] = {}
    for file in sorted(Path(folder).rglob("*.jsonl")):
        texts = [json.loads(line).get("text") or "" for line in file.read_text("utf-8").splitlines() if line.strip()]
        out[str(file.relative_to(folder))] = [t for t in texts if isinstance(t, str)]
    return out


def _prefill(args: argparse.Namespace) -> None:
    from eventcoder.corpus.prefill import prefill, sample_records
    from eventcoder.pipeline import Pipeline

    records = load_records(args.open_news)
    annotated = read_annotations(args.annotations) if Path(args.annotations).exists() else []
    done = {f"{a.source}/{a.record}" for a in annotated}
    for old in args.exclude or ():
        done |= {f"{c['source']}/{c['record']}" for c in map(json.loads, Path(old).read_text("utf-8").splitlines())}
    if args.other_sentences:  # only records already annotated, only their sentences not yet annotated
        kept = {f"{a.source}/{a.record}" for a in annotated}
        done = {f"{s}/{rid}" for s in records for rid in records[s]} - kept
    per_quarter = dict(zip(("political_wcep_ccbysa", "nonpolitical", "political"), args.per_quarter, strict=True))
    sampled = sample_records(records, per_quarter, args.seed, frozenset(done), args.match)
    count = 0
    skip = frozenset(a.key for a in annotated)
    with open(args.out, "w", encoding="utf-8") as out:
        for cand in prefill(Pipeline(), sampled, args.per_record, args.seed, args.match, skip):
            out.write(json.dumps(cand.to_dict()) + "\n")
            count += 1
    print(f"{count} candidates from {len(sampled)} records -> {args.out}")


def _show(args: argparse.Namespace) -> None:
    records = load_records(args.open_news)
    for n, line in enumerate(Path(args.candidates).read_text("utf-8").splitlines(), 1):
        if not args.first <= n <= args.last:
            continue
        c = json.loads(line)
        text = records[c["source"]][c["record"]]["text"]
        pre = "; ".join(
            f"{e['type']} {e['mode'] or '-'} {e['modality']} | "
            + " + ".join(text[a:b] for a, b in e["actors"]) + " | " + " + ".join(text[a:b] for a, b in e["recipients"])
            for e in c["events"])
        print(f"[{n}] {c['source']} {c['date']}\n  {text[c['start']:c['end']]}\n  PRE: {pre or '-'}")


def _apply(args: argparse.Namespace) -> None:
    from eventcoder.corpus.review import apply_decisions

    records = load_records(args.open_news)
    candidates = [json.loads(line) for line in Path(args.candidates).read_text("utf-8").splitlines()]
    new = apply_decisions(candidates, Path(args.decisions).read_text("utf-8"), records, args.annotator, args.method)
    out = Path(args.out)
    old = read_annotations(out) if out.exists() else []
    keys = {a.key for a in new}
    count = write_annotations(out, [a for a in old if a.key not in keys] + new)
    print(f"{len(new)} annotations from {args.decisions}; {count} in {out}")


def _load(args: argparse.Namespace) -> tuple[list[Annotation], Records]:
    annotations = read_annotations(args.annotations)
    records = load_records(args.open_news)
    problems = check_against_records(annotations, records)
    if problems:
        raise EventcoderError(f"{len(problems)} annotations do not match ../shared: {problems[0]}")
    return annotations, records


def _stats(args: argparse.Namespace) -> None:
    annotations, records = _load(args)
    dates = {a.key: str(records[a.source][a.record]["date"]) for a in annotations}
    print("\n".join(statistics(annotations, dates, split_of(annotations, records))))


def _leakage(args: argparse.Namespace) -> None:
    annotations, records = _load(args)
    splits = split_of(annotations, records)
    texts = {"/".join(map(str, a.key)): records[a.source][a.record]["text"][a.start:a.end] for a in annotations}
    named = {"/".join(map(str, k)): s for k, s in splits.items()}
    leaks = find_leaks(named, texts, eval_texts(args.eval_dir))
    for leak in leaks:
        print(f"leak ({leak.kind}): {leak.first} ~ {leak.second}")
    print(f"{len(leaks)} near-duplicates across splits or with eval sets, over {len(texts)} sentences "
          f"and {len(eval_texts(args.eval_dir))} eval sets")
    if leaks:
        sys.exit(1)


def _export(args: argparse.Namespace) -> None:
    from eventcoder.corpus.export import export_splits

    annotations, records = _load(args)
    counts = export_splits(annotations, records, split_of(annotations, records), args.out)
    print("  ".join(f"{split} {n}" for split, n in counts.items()) + f" sentences -> {args.out}")


def _agreement(args: argparse.Namespace) -> None:
    from eventcoder.corpus.agreement import agreement

    try:
        result = agreement(read_annotations(args.first), read_annotations(args.second))
    except ValueError as exc:
        raise EventcoderError(str(exc)) from exc
    print("\n".join(result.lines()))


def _sample_second(args: argparse.Namespace) -> None:
    from eventcoder.corpus.second import blank_candidates

    annotations, records = _load(args)
    rows = blank_candidates(annotations, records, args.n, args.seed)
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    counts = {s: sum(r["source"] == s for r in rows) for s in sorted({r["source"] for r in rows})}
    print(f"{len(rows)} blank candidates (no events, no pre-fill) {counts} -> {args.out}")


def _disagreements(args: argparse.Namespace) -> None:
    from eventcoder.corpus.second import describe, disagreements

    records = load_records(args.open_news)
    pairs = disagreements(read_annotations(args.first), read_annotations(args.second))
    rows = []
    for n, (a, b) in enumerate(pairs, 1):
        text = records[a.source][a.record]["text"]
        print(f"[{n}] {'/'.join(map(str, a.key))}\n  {text[a.start:a.end]}\n  1st: {describe(a, text)}\n"
              f"  2nd: {describe(b, text)}")
        rows.append({**{k: getattr(a, k) for k in ("source", "record", "start", "end", "sha1")},
                     "date": records[a.source][a.record]["date"], "events": [e.to_dict() for e in b.events]})
    if args.out:
        Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    print(f"{len(pairs)} sentences whose type sets differ" + (f" -> {args.out}" if args.out else ""))


def _adjudicate(args: argparse.Namespace) -> None:
    from eventcoder.corpus.second import replace_annotations

    count = replace_annotations(args.annotations, read_annotations(args.adjudicated))
    print(f"{count} first annotations replaced by adjudicated ones in {args.annotations}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eventcoder.corpus")
    parser.add_argument("--open-news", default=OPEN_NEWS)
    parser.add_argument("--annotations", default=ANNOTATIONS)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prefill", help="sample sentences and pre-fill them with the coder")
    p.add_argument("out")
    p.add_argument("--per-quarter", type=int, nargs=3, default=[6, 6, 6],
                   help="records per quarter from political_wcep_ccbysa, nonpolitical, political")
    p.add_argument("--per-record", type=int, default=2)
    p.add_argument("--seed", type=int, default=19)
    p.add_argument("--exclude", nargs="*", help="earlier candidate files whose records are not sampled again")
    p.add_argument("--match", help="keep only records matching this regular expression (a targeted batch)")
    p.add_argument("--other-sentences", action="store_true",
                   help="sample the not yet annotated sentences of records already annotated (a targeted top-up)")
    p.set_defaults(run=_prefill)
    p = sub.add_parser("show", help="print candidates with their text and pre-fill, for review")
    p.add_argument("candidates")
    p.add_argument("--first", type=int, default=1)
    p.add_argument("--last", type=int, default=10**9)
    p.set_defaults(run=_show)
    p = sub.add_parser("apply", help="turn review decisions into annotations")
    p.add_argument("candidates")
    p.add_argument("decisions")
    p.add_argument("out")
    p.add_argument("--annotator", required=True)
    p.add_argument("--method", default="prefill-corrected", choices=("prefill-corrected", "manual", "adjudicated"))
    p.set_defaults(run=_apply)
    sub.add_parser("stats", help="print annotation statistics").set_defaults(run=_stats)
    p = sub.add_parser("leakage", help="check near-duplicates across splits and against ../shared/eval")
    p.add_argument("--eval-dir", default=EVAL_DIR)
    p.set_defaults(run=_leakage)
    p = sub.add_parser("export", help="write open_news_<split>.events.jsonl (with text: keep out of git)")
    p.add_argument("out", nargs="?", default="build/open-news")
    p.set_defaults(run=_export)
    p = sub.add_parser("agreement", help="Cohen's kappa and span F1 between two annotators' files")
    p.add_argument("first")
    p.add_argument("second")
    p.set_defaults(run=_agreement)
    p = sub.add_parser("sample-second", help="a blind sample of annotated sentences for a second annotator")
    p.add_argument("out")
    p.add_argument("--n", type=int, default=220)
    p.add_argument("--seed", type=int, default=19)
    p.set_defaults(run=_sample_second)
    p = sub.add_parser("disagreements", help="print sentences whose type sets differ between two files")
    p.add_argument("first")
    p.add_argument("second")
    p.add_argument("--out", help="write them as candidates holding the second file's events, for adjudication")
    p.set_defaults(run=_disagreements)
    p = sub.add_parser("adjudicate", help="write adjudicated annotations over the first annotator's lines")
    p.add_argument("adjudicated")
    p.set_defaults(run=_adjudicate)
    run_subcommand(parser, argv)


if __name__ == "__main__":
    main()
