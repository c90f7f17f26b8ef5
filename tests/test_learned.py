"""The learned event layer: deterministic training, the rules-only fallback, fill and re-type."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from eventcoder.learned import layer as layer_module
from eventcoder.learned import model as model_module
from eventcoder.learned.layer import LearnedLayer, load_or_none
from eventcoder.learned.model import Thresholds, TypeModel, decide, load_type_model
from eventcoder.learned.train import Example, score, train_examples
from eventcoder.model import Document

TYPES = ("ACCUSE", "ASSAULT", "CONSULT", "MOBILIZE", "THREATEN")


class ConstantEncoder:
    """Every text is the same vector: the chances then come from the biases and the rule types alone."""

    name = "constant"
    dimension = 2

    def fingerprint(self) -> str:
        return "constant"

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        return np.ones((len(texts), self.dimension), dtype=np.float32)


class VocabularyEncoder(ConstantEncoder):
    """The fixture's embedding size (one column per fixture word), every text the same vector."""

    dimension = 6


def _model(biases: dict[str, float], thresholds: Thresholds) -> TypeModel:
    """A model whose chance for each type is sigmoid(its bias), whatever the sentence."""
    return TypeModel(TYPES, np.zeros((2 + len(TYPES), len(TYPES))),
                     np.asarray([biases.get(t, -6.0) for t in TYPES]), thresholds, {})


def _filling(coding: Any, event_type: str, scorer: Any = None) -> LearnedLayer:
    """A layer that fills any sentence with ``event_type`` (chance 0.98 over a fill threshold of 0.7)."""
    model = _model({event_type: 4.0}, Thresholds(fill=0.7, keep=None, retype=None))
    return LearnedLayer(coding.event_coder, model, ConstantEncoder(), scorer=scorer)


def _fixture() -> tuple[list[Example], np.ndarray[Any, Any]]:
    texts = [("troops", ("MOBILIZE",), ()), ("talks", ("CONSULT",), ("CONSULT",)), ("shelled", ("ASSAULT",), ()),
             ("warned", ("THREATEN",), ("ACCUSE",)), ("weather", (), ()), ("football", (), ("ASSAULT",))]
    examples = [Example(f"{word} {n}", gold, rules, tuple(True for _ in rules), 0.9, f"story {n % 7}")
                for n in range(30) for word, gold, rules in texts]
    vocabulary = [w for w, _, _ in texts]
    embeddings = np.asarray([[float(e.text.startswith(w)) for w in vocabulary] for e in examples])
    return examples, embeddings


def test_learned_training_is_deterministic(tmp_path: Path) -> None:
    examples, embeddings = _fixture()
    first = train_examples(examples, embeddings, TYPES, {"data": "fixture"})
    second = train_examples(examples, embeddings, TYPES, {"data": "fixture"})
    assert first.weights_json() == second.weights_json()
    first.save(tmp_path / "a")
    second.save(tmp_path / "b")
    for name in ("weights.json", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    loaded = load_type_model(tmp_path / "a")
    assert loaded.thresholds == first.thresholds
    assert np.allclose(loaded.chances(np.hstack([embeddings[:3], np.zeros((3, len(TYPES)))])),
                       first.chances(np.hstack([embeddings[:3], np.zeros((3, len(TYPES)))])))
    # the fixture is learnable: cross-validation turns fill on and the layer beats the rules
    assert first.manifest["modes"]["fill"] is True
    assert first.manifest["cross_validated"]["layer"]["f1"] > first.manifest["cross_validated"]["rules"]["f1"]


def test_learned_damaged_artefact_is_refused(tmp_path: Path) -> None:
    examples, embeddings = _fixture()
    train_examples(examples, embeddings, TYPES, {}).save(tmp_path)
    (tmp_path / "weights.json").write_text((tmp_path / "weights.json").read_text() + " ", encoding="utf-8")
    with pytest.raises(Exception, match="model_sha256"):
        load_type_model(tmp_path)


def test_learned_missing_artefact_says_so_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    from eventcoder.pipeline import Pipeline

    monkeypatch.setattr(layer_module, "_said", set())
    monkeypatch.setattr(model_module, "model_folder", lambda: tmp_path / "not-built")
    monkeypatch.delenv("EVENTCODER_LEARNED", raising=False)
    with caplog.at_level(logging.WARNING, logger="eventcoder.learned"):
        assert Pipeline(relevance=False, learned=True).learned is None
        assert Pipeline(relevance=False, learned=True).learned is None
        assert load_or_none() is None
    lines = [r.getMessage() for r in caplog.records if r.name == "eventcoder.learned"]
    assert len(lines) == 1
    assert "rules alone" in lines[0] and "make train" in lines[0]


def test_learned_layer_is_off_unless_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples, embeddings = _fixture()
    train_examples(examples, embeddings, TYPES, {}).save(tmp_path)
    monkeypatch.setattr(model_module, "model_folder", lambda: tmp_path)
    from eventcoder.batch import CodingOptions
    from eventcoder.errors import DataError
    from eventcoder.pipeline import Pipeline

    monkeypatch.delenv("EVENTCODER_LEARNED", raising=False)
    assert Pipeline(relevance=False).learned is None  # the default: the rules alone
    assert isinstance(Pipeline(relevance=False, learned=True).learned, LearnedLayer)
    assert isinstance(CodingOptions(learned=True).pipeline().learned, LearnedLayer)  # what Dask workers build
    monkeypatch.setenv("EVENTCODER_LEARNED", "on")
    assert isinstance(Pipeline(relevance=False).learned, LearnedLayer)
    assert Pipeline(relevance=False, learned=False).learned is None
    monkeypatch.setenv("EVENTCODER_LEARNED", "off")
    assert Pipeline(relevance=False).learned is None
    monkeypatch.setenv("EVENTCODER_LEARNED", "sometimes")
    with pytest.raises(DataError, match="EVENTCODER_LEARNED"):
        Pipeline(relevance=False).learned  # noqa: B018


def test_learned_cli_flag_turns_the_layer_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from eventcoder.cli import main

    examples, embeddings = _fixture()
    train_examples(examples, embeddings, TYPES, {}).save(tmp_path / "model")
    monkeypatch.setattr(model_module, "model_folder", lambda: tmp_path / "model")
    monkeypatch.delenv("EVENTCODER_LEARNED", raising=False)
    calls: list[int] = []
    real = LearnedLayer.__call__

    def counted(self: LearnedLayer, *args: Any) -> Any:
        calls.append(1)
        return real(self, *args)

    monkeypatch.setattr(LearnedLayer, "__call__", counted)
    monkeypatch.setattr(layer_module, "MiniLMEncoder", lambda: VocabularyEncoder())  # the fixture's 6 dimensions
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked an army post near the border on Monday, the ministry said.\n", encoding="utf-8")
    for flags, used in (([], False), (["--learned"], True)):
        calls.clear()
        result = CliRunner().invoke(main, ["code", "-q", "--date", "2024-03-04", *flags, str(article)])
        assert result.exit_code == 0, result.output
        assert bool(calls) is used


def test_learned_decide_fills_only_empty_political_sentences() -> None:
    thresholds = Thresholds(fill=0.7, keep=None, retype=None)
    chances = np.asarray([0.1, 0.2, 0.1, 0.9, 0.3])
    assert decide([], chances, TYPES, thresholds, 0.8).fill == "MOBILIZE"
    assert decide([], chances, TYPES, thresholds, 0.2).fill is None  # not a political document
    assert decide([], chances * 0.5, TYPES, thresholds, 0.8).fill is None  # not sure enough
    assert decide(["ASSAULT"], chances, TYPES, thresholds, 0.8) .fill is None  # the rules found one
    assert decide([], chances, TYPES, Thresholds(None, None, None), 0.8).fill is None  # fill off


def test_learned_score_counts_as_eval_does() -> None:
    examples = [Example("a", ("ASSAULT",), ("ASSAULT", "ACCUSE"), (True, True), 0.9, "s"),
                Example("b", ("CONSULT",), ("CONSULT",), (False,), 0.9, "s")]  # a future event is not counted
    found = score(examples, None, TYPES, None)
    assert (found.precision, found.recall) == (0.5, 0.5)


@pytest.fixture(scope="module")
def coding():  # type: ignore[no-untyped-def]
    from eventcoder.pipeline import Pipeline

    return Pipeline(relevance=False, learned=False)


def _parse(coding: Any, text: str) -> Any:
    return coding.parser(Document(id="invented", text=text, published=None))


def test_learned_fill_adds_a_type_with_subject_and_object(coding: Any) -> None:
    layer = _filling(coding, "MOBILIZE")
    parsed = _parse(coding, "The Ruritanian army moved tanks toward the northern frontier on Tuesday.")
    [event] = layer(parsed, [], 0.9, 0.5)
    assert event.event_type == "MOBILIZE"
    assert event.quad_class == "material-conflict"
    assert event.evidence.trigger == "moved"
    assert event.actor is not None and "army" in event.actor.text
    assert event.confidence is not None and event.confidence > 0.9
    assert layer(parsed, [], 0.1, 0.5) == []  # a document the relevance stage finds non-political


def test_learned_fill_leaves_sentences_with_rule_events(coding: Any) -> None:
    layer = _filling(coding, "MOBILIZE")
    parsed = _parse(coding, "Borovia accused Ruritania of shelling the border town.")
    events = coding.event_coder(parsed)
    assert events
    assert layer(parsed, events, 0.9, None) == events


def test_learned_retype_keeps_actor_and_recipient(coding: Any) -> None:
    parsed = _parse(coding, "Borovia accused Ruritania of shelling the border town.")
    events = [e for e in coding.event_coder(parsed) if e.event_type == "ACCUSE"]
    assert events
    unsure = _model({"ACCUSE": -4.0, "THREATEN": 3.0}, Thresholds(fill=None, keep=0.2, retype=0.6))
    retyped = LearnedLayer(coding.event_coder, unsure, ConstantEncoder())(parsed, events, 0.9, None)
    assert [e.event_type for e in retyped] == ["THREATEN"] * len(events)
    for old, new in zip(events, retyped, strict=True):
        assert (new.actor, new.recipient, new.evidence) == (old.actor, old.recipient, old.evidence)
        assert new.quad_class == "verbal-conflict" and new.mode is None
    sure = _model({"ACCUSE": 0.0, "THREATEN": 3.0}, Thresholds(fill=None, keep=0.2, retype=0.6))
    assert LearnedLayer(coding.event_coder, sure, ConstantEncoder())(parsed, events, 0.9, None) == events


def test_learned_retype_leaves_sentences_with_two_types() -> None:
    thresholds = Thresholds(fill=None, keep=0.2, retype=0.6)
    chances = np.asarray([0.05, 0.9, 0.1, 0.1, 0.1])
    assert decide(["ACCUSE"], chances, TYPES, thresholds, 0.9).types == ("ASSAULT",)
    assert decide(["ACCUSE", "THREATEN"], chances, TYPES, thresholds, 0.9).types == ("ACCUSE", "THREATEN")


class LowScorer:
    """A relevance stage that finds every event unlikely."""

    threshold = 0.5

    def score(self, parsed: Any, events: list[Any]) -> Any:
        from dataclasses import replace

        from eventcoder.relevance import Scored

        return Scored(0.1, [replace(e, confidence=0.1) for e in events])


def test_learned_fill_is_scored_by_the_relevance_stage(coding: Any) -> None:
    from eventcoder.pipeline import confident

    layer = _filling(coding, "MOBILIZE", scorer=LowScorer())
    parsed = _parse(coding, "The Ruritanian army moved tanks toward the northern frontier on Tuesday.")
    [event] = layer(parsed, [], 0.9, 0.5)
    assert event.confidence == 0.1
    assert confident([event], 0.5) == []


def test_learned_fill_needs_a_known_participant(coding: Any) -> None:
    layer = _filling(coding, "MOBILIZE")
    assert layer(_parse(coding, "The storm moved slowly toward the coast."), [], 0.9, 0.5) == []


def test_learned_modes_limit_what_training_turns_on() -> None:
    examples, embeddings = _fixture()
    only_fill = train_examples(examples, embeddings, TYPES, {}, modes=("fill",))
    assert only_fill.thresholds.keep is None and only_fill.thresholds.retype is None
    assert only_fill.manifest["modes_allowed"] == ["fill"]


def test_learned_fill_that_only_tells_the_toll_of_the_sentence_before_is_dropped(coding: Any) -> None:
    layer = _filling(coding, "ASSAULT")
    parsed = _parse(coding, "Ruritanian troops shelled the border town of Kesh on Monday. "
                            "Dozens of Borovian villagers were reported dead.")
    events = coding.event_coder(parsed)
    assert [e.event_type for e in events] == ["ASSAULT"]
    assert layer(parsed, events, 0.9, None) == events
    alone = _parse(coding, "Dozens of Borovian villagers were reported dead.")
    filled = layer(alone, [], 0.9, None)
    assert [e.event_type for e in filled] == ["ASSAULT"] and filled[0].actor is None


def test_learned_fill_of_a_headline_the_story_tells_again_is_dropped(coding: Any) -> None:
    layer = _filling(coding, "ASSAULT")
    parsed = _parse(coding, "Ruritanian troops shell Borovian border town\n\nRuritanian troops shelled the "
                            "Borovian border town of Kesh on Monday, state radio said.")
    events = coding.event_coder(parsed)
    body = parsed.doc.text.index("Ruritanian troops shelled")
    assert events and all(e.evidence.start >= body for e in events if e.event_type == "ASSAULT")
    assert [e for e in layer(parsed, events, 0.9, None) if e.evidence.start < body] == []
