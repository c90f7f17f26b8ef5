"""The annotated corpus: the annotation file checks, review decisions, split determinism, leakage check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventcoder.corpus import Annotation, assign_splits, check_against_records, read_annotations, write_annotations
from eventcoder.corpus.annotations import text_sha1
from eventcoder.corpus.review import apply_decisions
from eventcoder.corpus.split import Item, find_leaks, normalise, opening
from eventcoder.errors import DataError

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = ROOT / "data" / "annotations" / "open-news"
OPEN_NEWS = ROOT.parent / "shared" / "corpus" / "open-news"

TEXT = "Rebels shelled the town of Ayla on Monday. The mayor asked the army for help."
RECORDS = {"political_wcep_ccbysa": {"r1": {"id": "r1", "date": "2025-03-04", "text": TEXT}}}


def _line(**change: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "source": "political_wcep_ccbysa", "record": "r1", "start": 0, "end": 42, "sha1": text_sha1(TEXT[:42]),
        "events": [{"type": "ASSAULT", "mode": "heavy-weapons", "modality": "asserted", "trigger": [7, 14],
                    "actors": [[0, 6]], "recipients": [[19, 31]]}],
        "annotator": "tester", "method": "manual",
    }
    raw.update(change)
    return raw


def _write(tmp_path: Path, *lines: dict[str, Any]) -> Path:
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return path


def test_corpus_reads_a_valid_annotation_and_writes_it_back(tmp_path: Path) -> None:
    [a] = read_annotations(_write(tmp_path, _line()))
    assert a.events[0].event_type == "ASSAULT" and a.events[0].actors[0].start == 0
    assert check_against_records([a], RECORDS) == []
    write_annotations(tmp_path / "b.jsonl", [a])
    assert read_annotations(tmp_path / "b.jsonl") == [a]


@pytest.mark.parametrize(("change", "message"), [
    ({"source": "bbc"}, "source"),
    ({"events": [{"type": "ATTACK"}]}, "unknown PLOVER type"),
    ({"events": [{"type": "ASSAULT", "mode": "phone"}]}, "not a mode of ASSAULT"),
    ({"events": [{"type": "PROTEST", "modality": "maybe"}]}, "modality"),
    ({"events": [{"type": "PROTEST", "actors": [[30, 50]]}]}, "not inside the sentence"),
    ({"events": [{"type": "PROTEST", "actors": [[5]]}]}, "span must be"),
    ({"start": 10, "end": 10}, "start < end"),
    ({"method": "guessed"}, "method"),
    ({"annotator": " "}, "must not be empty"),
])
def test_corpus_rejects_a_bad_annotation_line(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError, match=message):
        read_annotations(_write(tmp_path, _line(**change)))


def test_corpus_rejects_a_sentence_annotated_twice(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="already annotated"):
        read_annotations(_write(tmp_path, _line(), _line(events=[])))


def test_corpus_notices_a_changed_source_text(tmp_path: Path) -> None:
    [a] = read_annotations(_write(tmp_path, _line(sha1="000000000000")))
    assert "changed" in check_against_records([a], RECORDS)[0]
    assert "not found" in check_against_records([a], {})[0]
    cut = _line(events=[{"type": "ASSAULT", "actors": [[0, 5]]}])  # "Rebel" of "Rebels"
    [b] = read_annotations(_write(tmp_path, cut))
    assert "cuts a word" in check_against_records([b], RECORDS)[0]


def test_corpus_review_decisions_become_offsets() -> None:
    cand = {"source": "political_wcep_ccbysa", "record": "r1", "date": "2025-03-04", "start": 43, "end": len(TEXT),
            "sha1": text_sha1(TEXT[43:]), "events": []}
    [a] = apply_decisions([cand], "1: REQUEST assist | The mayor | the army  # appeal", RECORDS, "tester")
    event = a.events[0]
    assert (event.event_type, event.mode, event.modality) == ("REQUEST", "assist", "asserted")
    assert TEXT[event.actors[0].start:event.actors[0].end] == "The mayor"
    assert TEXT[event.recipients[0].start:event.recipients[0].end] == "the army"
    assert a.prefill == () and a.note == "appeal" and a.method == "prefill-corrected"
    assert apply_decisions([cand], "1: -", RECORDS, "t")[0].negative
    assert apply_decisions([cand], "1: skip", RECORDS, "t") == []
    with pytest.raises(DataError, match="not in the sentence"):
        apply_decisions([cand], "1: REQUEST | Rebels |", RECORDS, "t")
    with pytest.raises(DataError, match="part of a longer word"):
        apply_decisions([cand], "1: REQUEST | The mayor | the arm", RECORDS, "t")


def _items(n: int) -> list[Item]:
    return [Item(f"k{i:03d}",
                 f"Story {i % 17} item number {i} tells what happened in the district over the week, figures {i * 7}.",
                 f"story {i % 17}", f"2025-{1 + i % 12:02d}-01") for i in range(n)]


def test_corpus_split_is_deterministic_and_keeps_clusters_together() -> None:
    items = _items(300)
    first = assign_splits(items)
    assert first == assign_splits(list(reversed(items)))
    assert set(first.values()) == {"train", "dev", "test"}
    by_cluster: dict[str, set[str]] = {}
    for item in items:
        by_cluster.setdefault(item.cluster, set()).add(first[item.key])
    assert all(len(splits) == 1 for splits in by_cluster.values())
    # adding sentences of a new story leaves every earlier assignment as it was
    extra = [Item("z1", "A wholly new story about something else entirely, told once.", "new", "2026-01-02")]
    joins = [Item("a0", "An early sentence told in story three, in words of its own here.", "story 3", "2025-04-09")]
    again = assign_splits(items + extra + joins)
    assert all(again[key] == split for key, split in first.items())
    assert again["a0"] == first["k003"]


def test_corpus_split_puts_near_duplicates_together() -> None:
    items = _items(300)
    opening_text = items[0].text[:70]
    planted = [Item("p1", opening_text + " told again by another story.", "elsewhere", "2026-06-01"),
               Item("p2", items[5].text.upper(), "yet another", "2026-07-01")]
    splits = assign_splits(items + planted)
    assert splits["p1"] == splits[items[0].key] and splits["p2"] == splits[items[5].key]
    texts = {i.key: i.text for i in items + planted}
    assert find_leaks(splits, texts) == []


def test_corpus_leakage_check_catches_a_planted_duplicate() -> None:
    items = _items(40)
    splits = assign_splits(items)
    texts = {i.key: i.text for i in items}
    assert find_leaks(splits, texts, {"eval/x.events.jsonl": ["Nothing alike here at all, not one bit of it."]}) == []
    # the same sentence in another split (re-punctuated), and one inside an eval record
    other = next(k for k, s in splits.items() if s != splits["k001"])
    texts[other] = texts["k001"].replace(" ", "  ").lower() + "!"
    leaks = find_leaks(splits, texts, {"eval/x.events.jsonl": ["Headline. " + texts["k002"] + " More text."]})
    found = {(leak.kind, frozenset((leak.first, leak.second))) for leak in leaks}
    assert ("text", frozenset((other, "k001"))) in found
    assert ("text", frozenset(("k002", "eval/x.events.jsonl"))) in found
    leaks2 = find_leaks({"k003": "train"}, {"k003": items[3].text}, {"e": [items[3].text[:70] + " but ends apart"]})
    assert [(leak.kind, leak.first) for leak in leaks2] == [("opening", "k003")]
    assert opening(items[3].text + " tail") == opening(items[3].text)
    assert normalise("Hello,  World!") == "hello world"


def test_corpus_committed_annotations_are_valid() -> None:
    annotations: list[Annotation] = read_annotations(ANNOTATIONS)
    assert annotations, "data/annotations/open-news holds no annotations"
    if not OPEN_NEWS.exists():
        pytest.skip("../shared/corpus/open-news is not here")
    from eventcoder.corpus.annotations import load_records

    assert check_against_records(annotations, load_records(OPEN_NEWS)) == []


def test_corpus_committed_second_annotation_is_blind_valid_and_shares_its_sentences() -> None:
    second = read_annotations(ANNOTATIONS.parent / "second")
    adjudicated = read_annotations(ANNOTATIONS.parent / "adjudicated")
    assert len(second) >= 200 and {(a.method, a.prefill) for a in second} == {("manual", ())}
    first = {a.key: a for a in read_annotations(ANNOTATIONS)}
    assert all(a.key in first for a in second)
    assert all(a.method == "adjudicated" and first[a.key].events == a.events for a in adjudicated)
    if not OPEN_NEWS.exists():
        pytest.skip("../shared/corpus/open-news is not here")
    from eventcoder.corpus.annotations import load_records

    assert check_against_records([*second, *adjudicated], load_records(OPEN_NEWS)) == []


def test_corpus_sampling_is_stratified_by_quarter_and_repeatable() -> None:
    from eventcoder.corpus.prefill import quarter, sample_records

    records = {"political": {f"p{i}": {"id": f"p{i}", "date": f"2021-{1 + i % 12:02d}-15",
                                       "text": "talks" if i % 2 else "strike"} for i in range(48)}}
    first = sample_records(records, {"political": 2}, seed=3)
    assert first == sample_records(records, {"political": 2}, seed=3)
    quarters = [quarter(r["date"]) for _, r in first]
    assert sorted(quarters) == sorted(["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"] * 2)
    targeted = sample_records(records, {"political": 2}, seed=3, exclude=frozenset({"political/p1"}), match="TALK")
    assert targeted and all(r["text"] == "talks" and r["id"] != "p1" for _, r in targeted)


def test_corpus_export_writes_eval_records_with_negatives(tmp_path: Path) -> None:
    from eventcoder.corpus.export import export_splits
    from eventcoder.evaluate.gold import read_gold

    annotations = read_annotations(_write(tmp_path, _line(), _line(start=43, end=len(TEXT), sha1=text_sha1(TEXT[43:]),
                                                                  events=[])))
    counts = export_splits(annotations, RECORDS, {a.key: "test" for a in annotations}, tmp_path / "out")
    assert counts == {"test": 2}
    kind, gold = read_gold(tmp_path / "out" / "open_news_test.events.jsonl")
    assert kind == "events"
    assert [g.text for g in gold] == [TEXT[:42], TEXT[43:]]
    assert [[e.label for e in g.events] for g in gold] == [["ASSAULT"], []]


def test_corpus_kappa_matches_a_hand_computed_case() -> None:
    from eventcoder.corpus.agreement import cohen_kappa

    # observed 0.9, expected (5*6 + 5*4) / 100 = 0.5 -> kappa 0.8
    first = ["A"] * 5 + ["B"] * 5
    second = ["A"] * 5 + ["B"] * 4 + ["A"]
    assert cohen_kappa(first, second) == pytest.approx((0.9 - 0.5) / 0.5)
    assert cohen_kappa(["A", "B"], ["B", "A"]) == pytest.approx(-1.0)


def test_corpus_agreement_scores_types_and_actor_spans(tmp_path: Path) -> None:
    from eventcoder.corpus.agreement import agreement

    one = read_annotations(_write(tmp_path, _line()))
    same = agreement(one, one)
    assert (same.kappa_event_or_not, same.actor_f1_exact, same.recipient_f1_exact) == (1.0, 1.0, 1.0)
    shifted = _line(annotator="other", events=[{"type": "ASSAULT", "actors": [[0, 10]], "recipients": []}])
    other = read_annotations(_write(tmp_path, shifted))
    result = agreement(one, other)
    assert result.actor_f1_exact == 0.0 and result.actor_f1_overlap == 1.0 and result.recipient_f1_exact == 0.0
    with pytest.raises(ValueError, match="share no sentence"):
        agreement(one, read_annotations(_write(tmp_path, _line(record="r2"))))


def test_corpus_second_sample_is_blind_proportional_and_repeatable(tmp_path: Path) -> None:
    from eventcoder.corpus.second import blank_candidates, sample_keys

    keys = [(("political_wcep_ccbysa", f"w{i}", 0), 10) for i in range(60)]
    keys += [(("political", f"p{i}", 5), 20) for i in range(30)]
    keys += [(("nonpolitical", f"n{i}", 0), 9) for i in range(10)]
    chosen = sample_keys(keys, 20, seed=7)
    assert chosen == sample_keys(list(reversed(keys)), 20, seed=7)
    files = ("political_wcep_ccbysa", "political", "nonpolitical")
    assert [sum(k[0] == s for k, _ in chosen) for s in files] == [12, 6, 2]
    assert chosen != sample_keys(keys, 20, seed=8)
    with pytest.raises(DataError, match="cannot sample"):
        sample_keys(keys, 101, seed=7)
    coded = read_annotations(_write(tmp_path, _line()))
    blank = blank_candidates(coded, RECORDS, 1, seed=1)
    assert blank == [{"source": "political_wcep_ccbysa", "record": "r1", "date": "2025-03-04", "start": 0, "end": 42,
                      "sha1": text_sha1(TEXT[:42]), "events": []}]


def test_corpus_second_annotation_records_its_method_and_disagreements_are_listed(tmp_path: Path) -> None:
    from eventcoder.corpus.second import describe, disagreements

    blank = [{"source": "political_wcep_ccbysa", "record": "r1", "start": 43, "end": len(TEXT),
              "sha1": text_sha1(TEXT[43:]), "events": []}]
    second = apply_decisions(blank, "1: REQUEST assist | The mayor | the army", RECORDS, "b", method="manual")
    assert second[0].method == "manual" and second[0].prefill == ()
    assert describe(second[0], TEXT) == "REQUEST assist asserted | The mayor | the army"
    first = read_annotations(_write(tmp_path, _line(start=43, end=len(TEXT), sha1=text_sha1(TEXT[43:]), events=[])))
    assert describe(first[0], TEXT) == "-"
    assert [(a.method, b.method) for a, b in disagreements(first, second)] == [("manual", "manual")]
    assert disagreements(second, second) == []


def test_corpus_adjudication_replaces_the_first_line_and_keeps_its_prefill(tmp_path: Path) -> None:
    from eventcoder.corpus.second import replace_annotations

    folder = tmp_path / "first"
    folder.mkdir()
    (folder / "b.jsonl").write_text(json.dumps(_line(method="prefill-corrected", prefill=["ASSAULT"])) + "\n", "utf-8")
    settled = read_annotations(_write(tmp_path, _line(method="adjudicated", annotator="adj", events=[])))
    assert replace_annotations(folder, settled) == 1
    [after] = read_annotations(folder)
    assert (after.method, after.events, after.prefill) == ("adjudicated", (), ("ASSAULT",))
    with pytest.raises(DataError, match="only annotations with method 'adjudicated'"):
        replace_annotations(folder, read_annotations(_write(tmp_path, _line())))
    with pytest.raises(DataError, match="not in"):
        replace_annotations(folder, read_annotations(_write(tmp_path, _line(method="adjudicated", record="r9"))))
