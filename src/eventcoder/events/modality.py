"""Modality from the sentence: negated, hypothetical, future, historical (lexical cues), else asserted."""

from __future__ import annotations

import calendar
import re
from datetime import date

from spacy.tokens import Token

from eventcoder.events.lexicon import ModalityCues
from eventcoder.model import Modality

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
CLAUSE_BOUNDARIES = frozenset({"ccomp", "advcl", "conj", "parataxis", "relcl", "acl", "csubj", "xcomp"})
CONTROL_DEPS = frozenset({"xcomp"})


def clause_tokens(head: Token) -> list[Token]:
    """Return the tokens of the clause headed by ``head``, not entering subordinate clauses."""
    found = [head]
    stack = [c for c in head.children if c.dep_ not in CLAUSE_BOUNDARIES]
    while stack:
        token = stack.pop()
        found.append(token)
        stack.extend(c for c in token.children if c.dep_ not in CLAUSE_BOUNDARIES)
    return sorted(found, key=lambda t: t.i)


def governors(head: Token) -> list[Token]:
    """Return the verbs that control ``head`` (``plan`` in "plans to attack"), nearest first."""
    found: list[Token] = []
    current = head
    while current.dep_ in CONTROL_DEPS and current.head is not current and len(found) < 4:
        current = current.head
        found.append(current)
        if current.pos_ not in {"VERB", "AUX", "ADJ"}:
            break
    return found


class ModalityReader:
    """Read an event's modality from its trigger's clause."""

    def __init__(self, cues: ModalityCues) -> None:
        self.cues = cues

    def __call__(self, head: Token, noun: Token | None, published: date | None) -> Modality:
        """Return the modality of the event whose clause is headed by ``head`` (``noun`` for nominal triggers)."""
        cues = self.cues
        if self._negated(head, noun):
            return "negated"
        auxiliaries = {c.lower_ for c in head.children if c.dep_ == "aux"}
        controlling = governors(head)
        lemmas = {g.lemma_.lower() for g in controlling}
        for governor in controlling:
            auxiliaries |= {c.lower_ for c in governor.children if c.dep_ == "aux"}
        if auxiliaries & cues.hypothetical_auxiliaries or lemmas & cues.hypothetical_heads or self._conditional(head):
            return "hypothetical"
        if auxiliaries & cues.future_auxiliaries or lemmas & (cues.future_heads | cues.intent_heads):
            return "future"
        if self._historical(head, noun, published):
            return "historical"
        return "asserted"

    def _negated(self, head: Token, noun: Token | None) -> bool:
        cues = self.cues
        if any(c.dep_ == "neg" for c in head.children):
            return True
        if noun is not None and any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return True
        controlling = governors(head)
        if head.dep_ == "advcl" and head.tag_ == "VBG" and head.head is not head:
            controlling.append(head.head)  # "ruled out sending warships": the parser attaches the gerund loosely
        for governor in controlling:
            if any(c.dep_ == "neg" for c in governor.children) or _phrasal(governor) & cues.negation_heads:
                return True
        return False

    def _conditional(self, head: Token) -> bool:
        marks = self.cues.hypothetical_marks
        for clause in head.children:  # "If talks fail, Israel will attack": the condition hangs on the event
            if clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children):
                return True
        current = head
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in self.cues.hypothetical_marks for c in current.children):
                return True
            if current.dep_ not in {"advcl", "conj", "xcomp"} or current.head is current:
                return False
            current = current.head
        return False

    def _historical(self, head: Token, noun: Token | None, published: date | None) -> bool:
        tokens = clause_tokens(head)
        if noun is not None and noun not in tokens:
            tokens = sorted({*tokens, *noun.subtree}, key=lambda t: t.i)
        words = [t.lower_ for t in tokens]
        for phrase in self.cues.historical_phrases:
            size = len(phrase)
            if any(tuple(words[i:i + size]) == phrase for i in range(len(words) - size + 1)):
                return True
        if published is not None and self._dated_before(tokens + self._host_clause(head), published):
            return True
        if noun is not None and head.lemma_.lower() in self.cues.forward_supports:
            return False  # "had called the demonstrations": the call is background, the demonstrations are not
        return self._past_perfect_background(head)

    def _dated_before(self, tokens: list[Token], published: date) -> bool:
        """Find "in July", "since 1994", "on 3 May 2019" before the story's window."""
        for token in tokens:
            if token.dep_ != "pobj" or token.head.lower_ not in self.cues.historical_prepositions:
                continue
            phrase = [t.lower_ for t in token.subtree]
            years = [int(w[:4]) for w in phrase if YEAR.match(w)]
            months = [MONTHS[w.rstrip(".")] for w in phrase if w.rstrip(".") in MONTHS]
            days = [int(w) for w in phrase if w.isdigit() and 1 <= int(w) <= 31]
            if years and years[0] < published.year:
                return True
            if years and years[0] > published.year:
                continue
            if months and not days and months[0] < published.month:
                return True
            if months and days:
                when = date(years[0] if years else published.year, months[0], min(days[0], 28))
                if (published - when).days > self.cues.window_days:
                    return True
        return False

    def _host_clause(self, head: Token) -> list[Token]:
        """Return the clause an event's clause or phrase hangs on, whose date is the event's too.

        "suspended flights in May 2019 after the government warned" (a clause marked by an anchor) and "...
        after a government warning" (a nominal trigger in a phrase of the verb) are dated May 2019.
        """
        anchors = self.cues.historical_anchors
        if head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in anchors for c in head.children):
            return clause_tokens(head.head)
        if head.pos_ in {"NOUN", "PROPN"} and head.dep_ == "pobj" and head.head.lower_ in anchors:
            verb = head.head.head
            if verb.pos_ in {"VERB", "AUX"}:
                return clause_tokens(verb)
        return []

    @staticmethod
    def _past_perfect_background(head: Token) -> bool:
        """Past perfect in the narrator's own voice ("Baku had lost control ...") is background."""
        if head.dep_ != "ROOT" or head.tag_ != "VBN":
            return False
        return any(c.dep_ == "aux" and c.lower_ == "had" for c in head.children)


def _phrasal(verb: Token) -> set[str]:
    """Return a verb's lemma and, with its particle, its phrasal lemma: {"rule", "rule out"}."""
    lemma = verb.lemma_.lower()
    return {lemma, *(f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt")}
