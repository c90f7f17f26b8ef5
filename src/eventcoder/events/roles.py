"""Who did it and to whom: actor and recipient mentions read from the dependency parse."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from spacy.tokens import Span, Token

SUBJECTS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECTS = frozenset({"nsubjpass", "csubjpass"})
OBJECTS = frozenset({"dobj", "obj", "dative"})
RECIPIENT_PREPOSITIONS = ("against", "on", "upon", "at", "into", "with", "to", "toward", "towards", "of")
ACTOR_PREPOSITIONS = ("by", "from")
LEFT_MODIFIERS = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "predet",
                            "npadvmod", "advmod"})
NAME_PREPOSITIONS = frozenset({"of", "for"})
UNNAMED = frozenset({"this", "that", "it", "these", "those", "which", "what", "who", "whom", "itself"})
# Entity types that say when or how much, never who: "fired at Israel on Thursday" is not aimed at Thursday.
NOT_PARTICIPANTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})


def mention_span(head: Token) -> Span:
    """Return the mention a head noun stands for: its left modifiers and an "of"/"for" phrase."""
    start = head.i
    for child in head.lefts:
        if child.dep_ in LEFT_MODIFIERS:
            start = min(start, child.left_edge.i)
    end = head.i
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in NAME_PREPOSITIONS and any(child.children):
            named = [mention_span(o).end - 1 for o in child.children if o.dep_ == "pobj"]
            end = max(end, *named) if named else max(end, child.right_edge.i)  # not its relative clause
        elif child.dep_ in {"compound", "flat", "case"}:
            end = max(end, child.i)
    doc = head.doc
    while end > start and doc[end].is_punct:
        end -= 1
    return doc[start:end + 1]


COUNT_DEPS = frozenset({"nummod", "quantmod"})


# "an Iran-backed militia" is not Iranian: who backs, funds or arms a group is not whose it is.
SPONSOR_WORDS = frozenset({"backed", "supported", "funded", "sponsored", "armed", "allied", "aligned", "trained",
                           "financed", "equipped"})
# "five people near the Russian embassy": where someone is does not say whose they are.
NEARBY_PREPOSITIONS = frozenset({"near", "outside", "around", "behind", "beside", "opposite", "next"})


def sponsored(token: Token) -> bool:
    """Tell whether a token names a sponsor inside a modifier: "Iran" in "an Iran-backed militia"."""
    return any(_sponsor_modifier(a) for a in (token, *token.ancestors))


def _sponsor_modifier(token: Token) -> bool:
    """Tell whether a token is a modifier naming a sponsor: "backed" in "Iran-backed", not "armed" in "armed men"."""
    return (token.dep_ in {"amod", "compound"} and token.lower_ in SPONSOR_WORDS
            and any(c.dep_ != "punct" for c in token.children))


def name_text(span: Span) -> str:
    """Return a mention without its counts ("Some 800,000 Iraqi Kurds" -> "Iraqi Kurds") for resolving.

    Sponsors are left out too: "an Iran-backed militia" resolves as "militia".
    """
    skip = {t.i for t in span for a in (t, *t.ancestors) if a.dep_ in COUNT_DEPS and a.i in range(span.start, span.end)}
    skip |= {t.i for t in span if sponsored(t)}
    while any(t.i - 1 in skip and t.text == "-" for t in span if t.i not in skip):
        skip |= {t.i for t in span if t.text == "-" and t.i - 1 in skip}
    words = [t for t in span if t.i not in skip]
    while words and words[0].pos_ in {"DET", "ADV", "ADP"}:
        words = words[1:]
    return "".join(t.text_with_ws for t in words).strip() or span.text


def expand(head: Token) -> list[Token]:
    """Return the heads of a compound mention: "Armenia and Azerbaijan" gives both."""
    if head.pos_ in {"NOUN", "PRON", "ADJ"}:
        for child in head.rights:
            if child.dep_ == "appos":
                return expand(child)
    heads = [head]
    for child in head.rights:
        if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "PRON"} and not hyphenated(child):
            heads.extend(expand(child))
    return heads


def hyphenated(token: Token) -> bool:
    """Tell whether a token is a piece of a hyphenated word the parser split ("e-mails": "e", "-", "mails")."""
    doc = token.doc
    glued_before = token.i > 0 and not doc[token.i - 1].whitespace_ and doc[token.i - 1].text == "-"
    glued_after = token.i + 1 < len(doc) and not token.whitespace_ and doc[token.i + 1].text == "-"
    return token.text == "-" or glued_before or glued_after


def is_unnamed(head: Token) -> bool:
    """Tell whether a head is a pronoun or demonstrative that names no actor."""
    return head.lower_ in UNNAMED or (head.pos_ == "PRON" and head.dep_ not in SUBJECTS | PASSIVE_SUBJECTS)


def children(token: Token, deps: frozenset[str]) -> list[Token]:
    """Return the children of ``token`` with one of ``deps``, the subject ones merged when adjacent."""
    found = [c for c in token.children if c.dep_ in deps]
    if len(found) > 1 and all(b.i == a.right_edge.i + 1 for a, b in pairwise(found)):
        return [found[-1]]  # "The capital Stepanakert": two subjects, one mention
    return found


def prepositional(token: Token, prepositions: tuple[str, ...]) -> Iterator[tuple[str, Token]]:
    """Yield (preposition, object) for the prepositional phrases on ``token``, in preference order."""
    phrases = {}
    for child in token.children:
        if child.dep_ in {"prep", "agent"} and child.lower_ in prepositions and child.lower_ not in phrases:
            objects = [c for c in child.children if c.dep_ == "pobj" and (c.ent_type_ not in NOT_PARTICIPANTS
                                                                          or counts_someone(c))]
            if objects:
                phrases[child.lower_] = objects[0]
    for preposition in prepositions:
        if preposition in phrases:
            yield preposition, phrases[preposition]


def counts_someone(noun: Token) -> bool:
    """Tell whether a number names people through its "of" phrase: "at thousands of supporters"."""
    return noun.ent_type_ == "CARDINAL" and any(
        c.dep_ == "prep" and c.lower_ == "of" and any(o.dep_ == "pobj" for o in c.children) for c in noun.children)


def between(token: Token) -> list[Token]:
    """Return the parties of a "between A and B" phrase on ``token``, empty when there are fewer than two."""
    for _, target in prepositional(token, ("between", "among", "amongst")):
        heads = expand(target)
        if len(heads) >= 2:
            return heads
        return [target]
    return []


def subject_of(verb: Token, statements: frozenset[str] = frozenset()) -> Token | None:
    """Return the subject of a verb, looking through conjoined verbs, xcomp chains and relative clauses.

    A statement noun in ``statements`` is no agent: "X issued a declaration demanding ..." gives X.
    """
    current = verb
    for _ in range(6):
        found = children(current, frozenset(SUBJECTS))
        if found:
            subject = found[0]
            if subject.lower_ in {"who", "which", "that"} and current.dep_ == "relcl":
                return current.head
            before = subject.doc[subject.i - 1] if subject.i > 0 else None
            if subject.lower_ in {"who", "which"} and before is not None and before.pos_ in {"NOUN", "PROPN"}:
                return before  # a relative clause the parser hung elsewhere: "backing M23 rebels who shelled"
            return subject
        if current.dep_ == "conj" or (current.dep_ in {"xcomp", "advcl"} and current.tag_ in {"VB", "VBG"}):
            current = current.head
            continue
        if current.dep_ in {"acomp", "xcomp"} and current.pos_ == "ADJ":
            current = current.head  # "France is ready to contribute": the subject of "is"
            continue
        if current.dep_ in {"relcl", "acl"} and current.tag_ != "VBN":
            if current.head.lemma_.lower() in statements and current.head.head is not current.head:
                current = current.head.head
                continue
            return current.head
        return None
    return None


PERSONAL_PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "our"})


def antecedent(pronoun: Token, skip: frozenset[str] = frozenset()) -> Token | None:
    """Return the subject a personal pronoun most likely refers to: "Syria says it will ..." gives Syria.

    Subjects whose lemma is in ``skip`` (weapons: "a rocket hit their home") are passed over.
    """
    if pronoun.lower_ not in PERSONAL_PRONOUNS:
        return None
    current = pronoun.head
    for _ in range(8):
        if current.head is current:
            return None
        current = current.head
        for child in current.children:
            if (child.dep_ in SUBJECTS | PASSIVE_SUBJECTS and child.pos_ in {"NOUN", "PROPN"} and child.i < pronoun.i
                    and child.lemma_.lower() not in skip):
                return child
        # "X has denied that ..., and he again rejected ...": the subject of an earlier sibling clause
        earlier = [c for c in current.children if c.dep_ in {"ccomp", "conj"} and c.i < pronoun.i
                   and pronoun.i not in {t.i for t in c.subtree}]
        for clause in reversed(earlier):
            for child in clause.children:
                if (child.dep_ in SUBJECTS | PASSIVE_SUBJECTS and child.pos_ in {"NOUN", "PROPN"}
                        and child.lemma_.lower() not in skip):
                    return child
    return None


def is_passive(verb: Token) -> bool:
    """Tell whether a verb is in the passive voice."""
    return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN")
