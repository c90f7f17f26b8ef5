"""The event lexicon: every data file parses and validates; the Phoenix conversion reads its formats."""

from __future__ import annotations

import pytest

from eventcoder.errors import DataError
from eventcoder.events import datafiles
from eventcoder.events.convert import parse_code, pattern_words, read_mapping, read_synsets, read_verb_patterns
from eventcoder.events.lexicon import load_lexicon

PLOVER_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


def test_events_lexicon_has_the_16_plover_types_with_quad_classes() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.quad_classes) == PLOVER_TYPES
    assert set(lexicon.quad_classes.values()) == {
        "verbal-cooperation", "material-cooperation", "verbal-conflict", "material-conflict"}


def test_events_lexicon_every_sense_is_a_known_type() -> None:
    lexicon = load_lexicon()
    senses = [s for s in lexicon.verb_senses.values() if s is not None]
    senses += [p.sense for patterns in lexicon.verb_patterns.values() for p in patterns if p.sense is not None]
    senses += [t.sense for triggers in lexicon.nouns.values() for t in triggers]
    assert len(senses) > 3000
    assert {s.event_type for s in senses} == PLOVER_TYPES


@pytest.mark.parametrize(("phrase", "event_type", "mode"), [
    ("martial law", "COERCE", "martial-law"),
    ("mobilization", "MOBILIZE", "troops"),
    ("ceasefire", "RETREAT", "ceasefire"),
    ("shelling", "ASSAULT", "heavy-weapons"),
    ("fighting", "ASSAULT", None),
    ("hunger strike", "PROTEST", "hunger"),
    ("state of emergency", "COERCE", "martial-law"),
    ("sanction", "SANCTION", None),
    ("aid", "AID", None),
    ("video call", "CONSULT", "phone"),
    ("sit-in", "PROTEST", "demo"),
    ("drill", "COOPERATE", None),
])
def test_events_lexicon_nominal_triggers(phrase: str, event_type: str, mode: str | None) -> None:
    words = phrase.split()
    head = words[0] if "of" in words else words[-1]
    [trigger] = [t for t in load_lexicon().nouns[head] if " ".join((*t.prefix, head, *t.suffix)) == phrase]
    assert (trigger.sense.event_type, trigger.sense.mode) == (event_type, mode)


@pytest.mark.parametrize(("verb", "expected"), [
    ("say", None), ("announce", None), ("rely", None), ("exist", None),
    ("shell", "ASSAULT"), ("deny", "REJECT"), ("accuse", "ACCUSE"), ("agree", "AGREE"),
    ("urge", "REQUEST"), ("resign", "RETREAT"), ("expel", "COERCE"), ("demonstrate", "PROTEST"),
    ("meet", "CONSULT"), ("turn_down", "REJECT"), ("step_down", "RETREAT"), ("sanction", "SANCTION"),
    ("round_up", "COERCE"), ("relax", "CONCEDE"), ("hand_over", "COOPERATE"),
])
def test_events_lexicon_verb_senses(verb: str, expected: str | None) -> None:
    sense = load_lexicon().verb_senses[verb]
    assert (sense.event_type if sense else None) == expected


def test_events_lexicon_speech_verbs_have_no_sense_and_no_patterns() -> None:
    lexicon = load_lexicon()
    assert {"say", "announce", "write", "stress"} <= lexicon.speech_verbs
    for verb in lexicon.speech_verbs:
        assert lexicon.verb_senses.get(verb) is None and verb not in lexicon.verb_patterns


def test_events_lexicon_cameo_codes_fall_back_to_their_parents() -> None:
    lexicon = load_lexicon()
    sense = lexicon.sense_for_code("0256")
    assert sense is not None and (sense.event_type, sense.mode, sense.cameo_root) == ("REQUEST", "yield", "02")
    assert lexicon.sense_for_code("19399") == lexicon.sense_for_code("193")
    assert lexicon.sense_for_code("011") is None  # public statements are not PLOVER events


@pytest.mark.parametrize(("replacement", "message"), [
    ('shell: {code: "194", mode: catapults}', "catapults"),
    ('shell: {code: "194", mood: heavy-weapons}', "unknown keys"),
    ('shell: {code: "999"}', "not in cameo2plover"),
    ('shell: {code: "194", contexts: [gardening]}', "gardening"),
])
def test_events_lexicon_rejects_bad_entries(monkeypatch: pytest.MonkeyPatch, replacement: str, message: str) -> None:
    original = datafiles.read_text

    def broken(name: str) -> str:
        text = original(name)
        if name == "triggers.yaml":
            return text.replace('shell: {code: "194", mode: heavy-weapons}', replacement)
        return text

    monkeypatch.setattr(datafiles, "read_text", broken)
    load_lexicon.cache_clear()
    try:
        with pytest.raises(DataError, match=message):
            load_lexicon()
    finally:
        monkeypatch.undo()
        load_lexicon.cache_clear()


PHOENIX_SAMPLE = """\
####### SYNONYM SETS #######
&CEASEFIRE
+TRUCE
+CEASE_FIRE

####### VERB PATTERNS #######
---  CALL   [041:041]  ---
CALL
PHONE
- * (FOR &CEASEFIRE)                                  [0256]        # CALL
- * CALLER                                            [---]         # PHONE
---  KILL   [190]  ---
+SHOOT_DOWN {+SHOOTS_DOWN +SHOT_DOWN }
MURDER [190]
"""


def test_events_convert_reads_verbs_patterns_and_synonyms() -> None:
    rows = {p.row() for p in read_verb_patterns(PHOENIX_SAMPLE)}
    assert "call\t\t\t041" in rows
    assert "call\t\tfor &ceasefire\t0256" in rows
    assert "phone\t\tcaller\t---" in rows
    assert "shoot_down\t\t\t190" in rows
    assert read_synsets(PHOENIX_SAMPLE) == {"&ceasefire": ["truce", "cease fire"]}


@pytest.mark.parametrize(("text", "code"), [("041:041", "041"), (":173", "173"), ("---", None), ("0256", "0256")])
def test_events_convert_parse_code(text: str, code: str | None) -> None:
    assert parse_code(text) == code


def test_events_convert_pattern_words_drop_markup_and_articles() -> None:
    assert pattern_words("(FOR {A HUMANITARIAN AID}) $") == ["for", "humanitarian", "aid"]


def test_events_convert_mapping_folds_appeals_into_request_and_renames_modes() -> None:
    table = "1323: THREATEN, restrict ,   pro_autocracy  # curfew\n195: ASSAULT, heavy-weapons, military # air\n"
    rows = {code: rest for code, *rest in read_mapping(table)}
    assert rows["0256"] == ["REQUEST", "yield", "military"]
    assert rows["1323"] == ["THREATEN", "restrict", "pro_autocracy"]
    assert rows["195"] == ["ASSAULT", "aerial", "military"]


def test_events_lexicon_curated_verbs_can_drop_their_phoenix_patterns() -> None:
    patterns = load_lexicon().verb_patterns["meet"]
    assert patterns and all(p.curated for p in patterns)  # "met ... at" is a meeting, not CAMEO 036 intent


def test_events_lexicon_quantity_nouns() -> None:
    assert {"round", "package", "wave"} <= load_lexicon().quantity_nouns


def test_lexicon_converted_tables_are_built_at_setup_not_committed() -> None:
    from pathlib import Path

    from eventcoder.converted import read_converted
    from eventcoder.errors import DataError

    root = Path(__file__).resolve().parent.parent
    for name in ("verb_patterns.tsv", "synsets.tsv", "cameo2plover.tsv"):
        assert not (root / "src/eventcoder/data/events" / name).exists(), f"{name} is converted at set-up"
        assert read_converted(name).startswith("# Generated by")
    with pytest.raises(DataError, match="make setup"):
        read_converted("no_such_table.tsv")
