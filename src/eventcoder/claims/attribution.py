"""Find who a sentence's content is attributed to: speech verbs, "according to", quotes.

Works on the spaCy parse only; resolving the speakers to actors is the linker's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from spacy.tokens import Span, Token

from eventcoder.claims.cues import Cues
from eventcoder.nlp import entities_in

SPEAKER_ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "FAC")  # entities that may name who speaks

AttributionKind = Literal["report", "accusation", "denial", "according"]

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
SPEAKER_DROP_DEPS = frozenset({"relcl", "acl", "punct", "advcl", "cc"})
QUOTES = frozenset({'"', "“", "”", "„", "«", "»", "''", "``"})


@dataclass(frozen=True)
class Mention:
    """A speaker as written: its text and document token span."""

    text: str
    start: int
    end: int
    described: tuple[int, int] | None = None  # token span of an apposition describing the speaker


@dataclass(frozen=True)
class Attribution:
    """One speech act in a sentence: who speaks, how, and which tokens they report."""

    speakers: tuple[Mention, ...]
    cue: str
    kind: AttributionKind
    region: frozenset[int]  # document token indices whose events this speech reports
    verb: int | None  # token index of the speech verb or the "according" cue
    clausal: bool  # reports a clause, so the next sentences may continue it


def find_attributions(sent: Span, cues: Cues) -> list[Attribution]:
    """Return the speech acts of a sentence, in text order.

    Example: "The shelling began at dawn, wrote Pashinyan on Facebook." gives one report
    attribution with speaker "Pashinyan", cue "wrote on Facebook", covering "The shelling began at dawn".
    """
    found: list[Attribution] = []
    for token in sent:
        if token.pos_ in ("VERB", "AUX"):
            verb_class = cues.verb_class(token.lemma_.lower())
            if verb_class is not None:
                kind = cast(AttributionKind, verb_class.name)
                attribution = _speech_verb(token, sent, kind, verb_class.content, cues)
                if attribution is not None:
                    found.append(attribution)
                continue
        if any(token.lower_ == cue[0] for cue in cues.according_cues):
            attribution = _according(token, sent, cues)
            if attribution is not None:
                found.append(attribution)
    return found


def _speech_verb(verb: Token, sent: Span, kind: AttributionKind, content_deps: frozenset[str],
                 cues: Cues) -> Attribution | None:
    """Read "X said ...", "..., wrote X", "X accused Y of ...", "X denied that ..."."""
    speaker_heads = _speaker_heads(verb)
    if not speaker_heads or any(c.tag_ == "WDT" for c in verb.children):
        return None  # "claims which ... dismissed": a noun the parser took for a verb
    speakers = tuple(m for head in speaker_heads for m in _mentions(head))
    if any(head.i == verb.head.i for head in speaker_heads):  # the speaker governs this very clause
        excluded = {i for m in speakers for i in range(m.start, m.end)} | {verb.i}
    else:
        excluded = {t.i for head in speaker_heads for t in head.subtree} | {verb.i}
    region: set[int] = set()
    for child in verb.children:
        if child.dep_ in content_deps and child.i not in excluded:
            region.update(t.i for t in child.subtree)
    # "The tanks were hit, the ministry said": the report is attached under the clause it reports.
    subordinate = any(c.dep_ == "mark" for c in verb.children)  # "... after U.S. officials alleged ..."
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and not subordinate and verb.i > verb.head.i:
        region.update(t.i for t in verb.head.subtree if not _within(t, verb))
        if _is_speech(verb.head, cues):
            region.discard(verb.head.i)
    # A quotation the parser mangled: everything the root governs except the speaker is the quote.
    if verb.dep_ == "ROOT" and kind == "report" and any(t.text in QUOTES for t in sent):
        region.update(t.i for t in verb.subtree if t.dep_ != "conj" and not _under_conj(t, verb))
    region -= excluded
    region -= {t.i for c in verb.children if c.dep_ == "conj" for t in c.subtree}
    if not region and kind == "report":
        return None
    return Attribution(speakers, _cue(verb, cues), kind, frozenset(region), verb.i, clausal=bool(region))


def relayed(acts: list[Attribution], a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Tell whether, of two claims' origins (sentence, 100 x speech act), one speech act reports the other.

    "A faction said it carried out the attack, the army said": the army relays the faction; one report.
    """
    if a[0] != b[0] or min(a[1], b[1]) < 0:
        return False
    first, second = a[1] // 100, b[1] // 100
    if first >= len(acts) or second >= len(acts) or first == second:
        return False
    one, other = acts[first], acts[second]
    if "according" in (one.kind, other.kind):
        return False  # "according to X" covers its whole sentence: it relays no other speaker
    return (one.verb is not None and one.verb in other.region) or (
        other.verb is not None and other.verb in one.region)


def _according(token: Token, sent: Span, cues: Cues) -> Attribution | None:
    """Read "according to X", "citing X": the whole sentence is X's."""
    words = [t.lower_ for t in token.doc[token.i: token.i + 3]]
    for cue in cues.according_cues:
        if tuple(words[: len(cue)]) != cue:
            continue
        last = token.doc[token.i + len(cue) - 1]
        objects = [c for c in last.children if c.dep_ in ("pobj", "dobj")]
        objects += [c for c in token.children if c.dep_ in ("pobj", "dobj")]
        if not objects:
            following = token.doc[last.i + 1] if last.i + 1 < sent.end else None
            objects = [following] if following is not None else []
        if not objects:
            return None
        head = objects[0]
        if cue[-1] in cues.cues_needing_speaker and not _speaker_like(head, cues):
            return None
        cue_text = " ".join(cue)
        if head.lemma_.lower() in cues.statement_nouns or head.lower_ in cues.statement_nouns:
            inner = [p for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")
                     for p in c.children if p.dep_ == "pobj"]
            if inner:
                cue_text = " ".join([*cue, *(t.text for t in head.doc[_left_edge(head): head.i + 1])])
                head = inner[0]
        phrase = {t.i for t in token.doc[token.i: last.i + 1]} | {t.i for t in head.subtree}
        region = frozenset(t.i for t in sent if t.i not in phrase)
        return Attribution(tuple(_mentions(head)), cue_text, "according", region, token.i, clausal=False)
    return None


def _speaker_like(head: Token, cues: Cues) -> bool:
    """Tell whether a noun can be a source: a name, a statement, or a word such as "officials"."""
    lemma = head.lemma_.lower()
    return (head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
            or lemma in cues.speaker_nouns or head.lower_ in cues.speaker_nouns or lemma in cues.statement_nouns)


def _speaker_heads(verb: Token) -> list[Token]:
    """Return the speaker of a speech verb: its subject, a shared one, or an inverted object."""
    quoted = _quoted(verb.sent)
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.dep_ != "nsubjpass" and c.i not in quoted]
    if subjects and verb.dep_ == "relcl" and all(s.tag_ in ("WP", "WDT") for s in subjects):
        return [verb.head]  # "Odinga, who said ...": the speaker is what "who" stands for
    if subjects:
        return subjects
    agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    if agents:
        return agents
    # "..., wrote Pashinyan on Facebook": the parser often makes the inverted speaker an object.
    inverted = [c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i
                and (c.pos_ == "PROPN" or c.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"))
                and any(k.i < verb.i and k.dep_ in ("ccomp", "parataxis") for k in verb.children)]
    if inverted:
        return inverted
    if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        return _speaker_heads(verb.head)
    return []


def _mentions(head: Token) -> list[Mention]:
    """Return the speaker mentions of a noun phrase head, one per coordinated speaker.

    An apposition ("Ahmed Musa, a spokesman for the army") is left out of the text but kept
    as ``described`` for resolving the speaker.
    """
    conjuncts = [c for c in head.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")]
    mentions = []
    for one in (head, *conjuncts):
        appositions = [c for c in one.children if c.dep_ == "appos" and c.left_edge.i > 0
                       and one.doc[c.left_edge.i - 1].text in (",", "(")]  # "the news agency Belta" stays whole
        drop = {t.i for c in one.children if c.dep_ in SPEAKER_DROP_DEPS or c in appositions for t in c.subtree}
        if one is head:
            drop |= {t.i for c in conjuncts for t in c.subtree}
        kept = sorted(t.i for t in one.subtree if t.i not in drop and t.text not in QUOTES)
        if not kept:
            continue
        start, end = kept[0], kept[-1] + 1
        while end > start and one.doc[end - 1].is_punct and one.doc[end - 1].text != ")":
            end -= 1
        span = one.doc[start:end]
        if span.text.count("(") > span.text.count(")") and end < len(one.doc) and one.doc[end].text == ")":
            end += 1  # "the Revolutionary United Front (RUF)"
        described = None
        if appositions:
            described = (appositions[0].left_edge.i, appositions[0].right_edge.i + 1)
        mentions.append(Mention(one.doc[start:end].text, start, end, described))
    return mentions


def _quoted(sent: Span) -> set[int]:
    """Return the token indices inside quotation marks (a quote's subject is not the speaker)."""
    inside: set[int] = set()
    opened: int | None = None
    for token in sent:
        if token.text in QUOTES:
            closing = opened is not None and (token.text != "“" and token.text != "«")
            if closing:
                inside.update(range(opened + 1, token.i))  # type: ignore[operator]
                opened = None
            else:
                opened = token.i
    return inside


def channel_of(verb: Token, cues: Cues) -> str | None:
    """Return where a statement was made, as written after its verb: "on Facebook", "in a statement"."""
    for child in verb.children:
        if child.dep_ == "prep":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and _is_channel(pobj, cues):
                    return f"{child.lower_} {verb.doc[child.i + 1: pobj.i + 1].text}"
    return None


def _cue(verb: Token, cues: Cues) -> str:
    """Return the verb with its channel, if any: "wrote on Facebook", "told reporters"."""
    channel = channel_of(verb, cues)
    if channel is not None:
        return f"{verb.text} {channel}"
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and child.i > verb.i and _is_channel(child, cues) and child.pos_ != "PROPN":
            return f"{verb.text} {verb.doc[_left_edge(child): child.i + 1].text}"
    return verb.text


def _is_channel(token: Token, cues: Cues) -> bool:
    return token.lower_ in cues.channel_nouns or token.lemma_.lower() in cues.channel_nouns


def _is_speech(token: Token, cues: Cues) -> bool:
    return cues.verb_class(token.lemma_.lower()) is not None


def _left_edge(token: Token) -> int:
    """Return the first token of a noun's pre-modifiers (determiners, adjectives, compounds)."""
    start = token.i
    for child in token.lefts:
        start = min(start, child.left_edge.i)
    return start


def _within(token: Token, ancestor: Token) -> bool:
    return token.i == ancestor.i or any(a.i == ancestor.i for a in token.ancestors)


def _under_conj(token: Token, verb: Token) -> bool:
    """Tell whether a token hangs under a verb coordinated with ``verb`` (another statement)."""
    return any(a.dep_ == "conj" and a.head.i == verb.i for a in token.ancestors)


def speaker_keys(span: Span) -> list[str]:
    """Return the phrases to try when resolving a speaker, most specific first."""
    keys = [span.text]
    words = list(span)
    if words and words[0].pos_ == "DET":
        keys.append(span[1:].text)
    for token in span:
        if token.dep_ == "prep" and token.lower_ in ("for", "of", "from", "at", "in") and token.head.i in range(
                span.start, span.end):
            for pobj in token.children:
                if pobj.dep_ == "pobj":
                    keys.append(span.doc[pobj.left_edge.i: pobj.right_edge.i + 1].text)
    ents = sorted((e for e in entities_in(span) if e.label_ in SPEAKER_ENTITY_LABELS), key=lambda e: -len(e.text))
    keys.extend(e.text for e in ents)
    keys.extend(t.text for t in span if t.pos_ == "PROPN" and t.text not in keys)
    return list(dict.fromkeys(k for k in keys if k.strip()))
