"""Event triggers of a sentence: verbs and event nouns looked up in the lexicon, content and background suppressed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from eventcoder.events import clauses, intent, roles
from eventcoder.events.criticism import CriticismReader
from eventcoder.events.fatalities import FatalityReader
from eventcoder.events.lexicon import Lexicon, Pattern, Sense
from eventcoder.events.verbslots import bags, matches, same_words, verb_text

# Types that carry what was said or wanted: an event under them is their content, not a new event.
VERBAL_TYPES = frozenset({"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "THREATEN", "CONSULT", "REJECT"})
CONTENT_DEPS = frozenset({"xcomp", "ccomp", "advcl", "pcomp", "pobj", "prep", "dobj", "acomp", "oprd", "attr",
                          "csubj"})
# A denial's ccomp is the claim denied: it stays an event so that the claims stage can dispute it.
DENIAL_OPEN_DEPS = frozenset({"ccomp"})
NOMINAL_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "conj"})
PARTICIPLE_DEPS = frozenset({"advcl", "xcomp", "conj"})
CAUSE_PREPOSITIONS = frozenset({"in", "by", "during"})
BACKGROUND_PATH = frozenset({"xcomp", "ccomp", "conj", "advcl", "pcomp", "pobj", "prep"})


@dataclass(frozen=True)
class Trigger:
    """A trigger found in a sentence: its token, sense, and for nominal ones the verb that carries it."""

    token: Token
    sense: Sense
    support: Token | None = None  # the verb of a nominal trigger ("imposed" for "martial law")
    text: str = ""
    blame: bool = False
    criticised: Token | None = None  # the statement a verbal attack is aimed at ("Labour's pledges")


class TriggerFinder:
    """Find the event triggers of a sentence (``finder(sentence)``) and read the senses of verbs and nouns."""

    def __init__(self, lexicon: Lexicon, fatalities: FatalityReader) -> None:
        self.lexicon = lexicon
        self.fatalities = fatalities
        self._accuse = lexicon.sense_for_code("112") or Sense("ACCUSE", None, (), "112")
        self.criticism = CriticismReader(lexicon.criticism, self.lemma, lambda verb: self.verb_sense(verb)[0])

    def __call__(self, sentence: Span) -> list[Trigger]:
        """Return the event triggers of a sentence after suppressing content and reference mentions."""
        lexicon = self.lexicon
        verbs: dict[int, tuple[Sense | None, int]] = {}
        found: list[Trigger] = []
        for token in sentence:
            if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ not in {"aux", "auxpass"}):
                verbs[token.i] = self.verb_sense(token) if self._is_predicate(token) else (None, 0)
        carried: set[int] = set()
        for token in sentence:
            if token.pos_ not in {"NOUN", "PROPN"}:
                continue
            match = self.noun_trigger(token)
            if match is None:
                continue
            sense, text = match
            support = self._support_of(token, verbs)
            if support is None:
                continue
            carried.add(support.i)
            found.append(Trigger(token, sense, support, text))
        for index, (meaning, _) in verbs.items():
            token = sentence.doc[index]
            criticism = None if index in carried or not self._is_predicate(token) else self.criticism(token, meaning)
            if (token.lemma_.lower() in lexicon.blame_verbs and self._blames(token)) or self._behind(token):
                found.append(Trigger(token, self._accuse, text=token.text, blame=True))
            elif criticism is not None:
                found.append(Trigger(token, criticism.sense, text=verb_text(token), criticised=criticism.statement))
            elif meaning is not None and index not in carried:
                found.append(Trigger(token, meaning, text=verb_text(token)))
        for token in sentence:
            if token.lower_ in lexicon.blame_nouns and token.pos_ == "NOUN" and self.blame_target(token) is not None \
                    and not self._claimed(token):
                found.append(Trigger(token, self._accuse, text=token.text, blame=True))
        found = [self._promised(t, found) for t in found]
        accusations = {t.token.i for t in found if t.sense.event_type == "ACCUSE" and t.support is None}
        kept = [t for t in found if (t.support is None and t.sense.event_type == "ASSAULT"
                                     and clauses.stated_in_accusation(t.token, accusations)) or (
                not self._is_content(t, found) and not self._is_subordinate(t, found) and not self._is_background(t))]
        kept = [t for t in kept if not self._is_casualty_clause(t, kept)]
        return sorted(self._merge_causes(kept), key=lambda t: t.token.i)

    def lemma(self, verb: Token) -> str:
        """Return a verb's lemma, repaired from its form when the lemmatizer strays ("staged" -> "stag")."""
        lemma = verb.lemma_.lower()
        known = self.lexicon.verb_senses
        if lemma in known or lemma in self.lexicon.support_verbs or lemma in self.lexicon.verb_patterns:
            return lemma
        form = verb.lower_
        for size, ending in ((1, ""), (2, ""), (3, ""), (3, "e")):
            if form.endswith(("ed", "es", "ing")) and form[:-size] + ending in known:
                return form[:-size] + ending
        return lemma

    def _is_predicate(self, verb: Token) -> bool:
        """Tell whether a verb states something happened: "the banned party", "U.S.-led forces" do not."""
        if verb.dep_ in {"amod", "compound", "nmod", "dobj", "pobj", "nsubj", "nsubjpass"}:
            return False  # adjectival or nominal use: "the banned party", "evacuated the wounded"
        if verb.dep_ == "acl" and verb.tag_ in {"VBN", "VBG"}:
            # "Doctors ... donated": a parse with a noun for root leaves the real predicate as its acl;
            # "a declaration demanding ...": the statement's content is said
            return (self.fatalities.kind(verb) is not None or (verb.head.dep_ == "ROOT" and verb.head.pos_ != "VERB")
                    or verb.head.lemma_.lower() in self.lexicon.content_nouns)
        return True

    def verb_sense(self, verb: Token) -> tuple[Sense | None, int]:
        """Return a verb's sense and the weight of the pattern that chose it (0: the verb alone)."""
        lexicon = self.lexicon
        lemma = self.lemma(verb)
        # "stepped down" may parse "down" as an adverb next to the verb
        particles = [c for c in verb.children
                     if c.dep_ in {"prt", "prep"} or (c.dep_ == "advmod" and c.i == verb.i + 1)]
        keys = [f"{lemma}_{c.lower_}" for c in particles] + [lemma]
        sense: Sense | None = None
        for key in keys:
            if key in lexicon.verb_senses:
                sense = lexicon.verb_senses[key]
                if key != lemma and sense is not None and sense.curated:
                    keys = [key]  # "stepped down" is the phrasal verb's own sense, not a pattern of "step"
                break
        candidates = [p for key in keys for p in lexicon.verb_patterns.get(key, ())]
        if not candidates:
            return sense, 0
        before, after = bags(verb)
        best: Pattern | None = None
        for pattern in candidates:
            if best is not None and (best.curated, best.weight) >= (pattern.curated, pattern.weight):
                continue  # a curated pattern outranks the Phoenix ones; then the more specific wins
            if matches(pattern.before, before) and matches(pattern.after, after):
                best = pattern
        if best is None:
            return sense, 0
        return best.sense, best.weight

    def noun_trigger(self, token: Token) -> tuple[Sense, str] | None:
        """Return the sense and phrase of a nominal trigger headed by ``token``, if it is one."""
        doc = token.doc
        options = self.lexicon.nouns.get(token.lemma_.lower()) or self.lexicon.nouns.get(token.lower_)
        if not options and token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 2].whitespace_:
            joined = doc[token.i - 2:token.i + 1]  # "sit-in", "call-up": the tokenizer splits at the hyphen
            options = self.lexicon.nouns.get(joined.text.lower())
            if options:
                return options[0].sense, joined.text
        if not options:
            return None
        for option in options:
            start = token.i - len(option.prefix)
            end = token.i + 1 + len(option.suffix)
            if start < 0 or end > len(doc):
                continue
            before = tuple(t.lower_ for t in doc[start:token.i])
            after = tuple(t.lower_ for t in doc[token.i + 1:end])
            if same_words(before, option.prefix) and same_words(after, option.suffix):
                return option.sense, doc[start:end].text
        return None

    def _support_of(self, noun: Token, verbs: dict[int, tuple[Sense | None, int]]) -> Token | None:
        """Return the verb that carries a nominal trigger, or None when the noun only refers to an event."""
        current = noun
        while current.dep_ == "conj" and current.head is not current:
            current = current.head
        counted = self._counted_by(current)
        while counted is not None:  # "a new round of talks", "120 million euros in assistance"
            current = counted
            counted = self._counted_by(current)
        taking_part = self._participation(current)
        if taking_part is not None:
            return taking_part if taking_part.i in verbs else None
        if current.dep_ not in NOMINAL_ARGUMENT_DEPS:
            return None
        verb = current.head
        if verb.i not in verbs:
            return None
        lemma = self.lemma(verb)
        sense, weight = verbs[verb.i]
        nominal = self.noun_trigger(noun)
        if weight > 0 and sense is not None and (nominal is None or nominal[0].event_type != sense.event_type):
            return None  # a pattern like "call for ceasefire" codes the verb itself
        if current.dep_ == "dobj" and lemma in self.lexicon.claim_verbs:
            return verb  # "claimed the attack": the claimant did it
        if lemma not in self.lexicon.support_verbs:
            return None
        if lemma == "be" and not any(c.dep_ == "expl" for c in verb.children):
            return None
        return verb

    def _participation(self, noun: Token) -> Token | None:
        """Return the verb of "took part in X", "participated in X", "played a role in X" for the event noun X."""
        preposition = noun.head
        if noun.dep_ == "pobj" and preposition.lower_ == "for" and preposition.head.i != preposition.i:
            claimed = preposition.head  # "claimed responsibility for X" ("for" may hang on the verb or the noun)
            if claimed.pos_ == "NOUN" and self._claimed(claimed):
                return claimed.head
            if claimed.pos_ == "VERB" and self._claimed_by(claimed) is not None:
                return claimed
            return None
        if noun.dep_ != "pobj" or preposition.lower_ != "in" or preposition.head.i == preposition.i:
            return None
        holder = preposition.head
        nouns = self.lexicon.participation_nouns
        if self._denied_part(holder):
            return None  # "rejected any role in the blast", "denied it had a role in the attack": no part taken
        if holder.pos_ == "VERB" and (holder.lemma_.lower() in self.lexicon.participation_verbs or any(
                c.dep_ in roles.OBJECTS and c.lemma_.lower() in nouns for c in holder.children)):
            return holder  # "participated in X"; "took part in X" with "in" on the verb
        if holder.lemma_.lower() in nouns and holder.dep_ in roles.OBJECTS:
            return holder.head  # "played a role in X"
        return None

    def _denied_part(self, holder: Token) -> bool:
        """Tell whether a part in an event is what a REJECT turns down: "rejected any role in the blast".

        ("denied that its troops took part in the fighting" states the fighting, which the claims stage disputes.)
        """
        if holder.pos_ != "NOUN" or holder.dep_ not in roles.OBJECTS or holder.head.pos_ != "VERB":
            return False
        sense, _ = self.verb_sense(holder.head)
        return sense is not None and sense.event_type == "REJECT"

    def _claimed(self, noun: Token) -> bool:
        """Tell whether a noun is claimed responsibility: "claimed/took responsibility (for X)"."""
        return (noun.lemma_.lower() in self.lexicon.responsibility_nouns and noun.dep_ in roles.OBJECTS
                and noun.head.lemma_.lower() in self.lexicon.responsibility_verbs)

    def _claimed_by(self, verb: Token) -> Token | None:
        """Return the responsibility object of "claimed responsibility", if ``verb`` has one."""
        if verb.lemma_.lower() not in self.lexicon.responsibility_verbs:
            return None
        return next((c for c in verb.children if self._claimed(c)), None)

    def _counted_by(self, noun: Token) -> Token | None:
        """Return the noun that counts ``noun`` ("package" of sanctions, "euros" in aid), if any."""
        preposition = noun.head
        if noun.dep_ != "pobj" or preposition.lower_ not in {"of", "in"} or preposition.head.i == preposition.i:
            return None
        counter = preposition.head
        if counter.pos_ not in {"NOUN", "PROPN", "NUM", "SYM"}:
            return None
        if preposition.lower_ == "of":
            return counter if counter.lemma_.lower() in self.lexicon.quantity_nouns else None
        numbered = counter.ent_type_ in {"MONEY", "QUANTITY"} or any(c.dep_ == "nummod" for c in counter.children)
        return counter if numbered else None

    def _blames(self, verb: Token) -> bool:
        """Tell whether "X provoked the fighting" blames its subject for a conflict event."""
        objects = [c for c in verb.children if c.dep_ in roles.OBJECTS]
        return any(self.noun_trigger(o) is not None for o in objects) and roles.subject_of(verb) is not None

    def _behind(self, verb: Token) -> bool:
        """Tell whether "X was behind the raid" blames its subject for an event noun."""
        subject = roles.subject_of(verb) if verb.lemma_.lower() == "be" and verb.dep_ != "relcl" else None
        if subject is None or subject.pos_ == "PRON":
            # "it said it was behind the attack" claims the attack; it blames no one; "Hamas, which was behind the
            # attack, ..." describes Hamas
            return False
        # "was behind the raid", or through an adjective: "were responsible for the killings"
        places = [p for p in verb.children if p.dep_ == "prep" and p.lower_ in self.lexicon.blame_positions]
        places += [p for a in verb.children if a.dep_ == "acomp" and a.lemma_.lower() in self.lexicon.blame_adjectives
                   for p in a.children if p.dep_ == "prep" and p.lower_ == "for"]
        return any(o.dep_ == "pobj" and (self.noun_trigger(o) is not None
                                         or o.lemma_.lower() in self.lexicon.blame_happenings)
                   for p in places for o in p.children)

    def blame_target(self, noun: Token) -> Token | None:
        """Return X in "the responsibility lies with X" (the parser may attach the phrase anywhere below)."""
        for token in (*noun.subtree, *noun.head.children):
            if token.dep_ == "prep" and token.lower_ in self.lexicon.blame_prepositions:
                for child in token.children:
                    if child.dep_ == "pobj":
                        return child
        return None

    def _promised(self, trigger: Trigger, found: list[Trigger]) -> Trigger:
        """Recode "vowed to fight" as THREATEN: an intent verb takes the polarity of what it promises."""
        if self.lemma(trigger.token) not in self.lexicon.modality.intent_verbs or trigger.support is not None:
            return trigger
        for other in found:
            verb = other.support if other.support is not None else other.token
            promised = verb.dep_ == "xcomp" and verb.head.i == trigger.token.i
            if promised and self.lexicon.quad_classes.get(other.sense.event_type) == "material-conflict":
                return replace(trigger, sense=intent.threat(other.sense))
        return trigger

    def _is_content(self, trigger: Trigger, found: list[Trigger]) -> bool:
        """Tell whether a trigger is what a verbal event says or wants ("agreed to withdraw")."""
        verbal = {t.token.i: t for t in found if t.sense.event_type in VERBAL_TYPES and t.support is None}
        current = trigger.support if trigger.support is not None else trigger.token
        if trigger.support is not None and trigger.support.i in verbal:
            return True
        for _ in range(8):
            if current.dep_ not in CONTENT_DEPS or current.head is current:
                return False
            dep = current.dep_
            current = current.head
            governor = verbal.get(current.i)
            if governor is not None and governor is not trigger:
                return not (governor.sense.event_type == "REJECT" and dep in DENIAL_OPEN_DEPS)
        return False

    @staticmethod
    def _is_subordinate(trigger: Trigger, found: list[Trigger]) -> bool:
        """Tell whether a trigger is a purpose ("to help") or a detail clause of another event."""
        token = trigger.token
        if trigger.support is None and token.dep_ == "pcomp" and token.head.lower_ in {"for", "from"} \
                and token.tag_ == "VBG":
            return True  # a reason or what is prevented: "sanctioned for buying oil", "banned from studying"
        if trigger.support is not None or token.dep_ != "advcl":
            return False
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
            return True  # purpose: what was intended, not what happened
        heads = {t.token.i: t for t in found if t is not trigger}
        heads.update({t.support.i: t for t in found if t.support is not None})
        governor = heads.get(token.head.i)
        if governor is None or token.tag_ != "VBG":
            return False
        # "protesters blocked a highway demanding a deal": a demand made while acting is an event of its own
        return not (trigger.sense.event_type in VERBAL_TYPES and governor.sense.event_type not in VERBAL_TYPES)

    def _is_background(self, trigger: Trigger) -> bool:
        """Tell whether a trigger sits in a clause that modifies a noun: background, not a new event.

        "a request to interrogate them", "who had taken them hostage".
        """
        current = trigger.support if trigger.support is not None else trigger.token
        if current.dep_ == "acl" and current.tag_ == "VBN" and self.fatalities.kind(current) is not None:
            return False  # "three soldiers killed in the attack" reports the casualties themselves
        for _ in range(6):
            if current.dep_ in {"acl", "relcl"}:
                if current.head.dep_ == "ROOT" and current.head.pos_ != "VERB":
                    return False  # the parse made the sentence's predicate a modifier of its subject
                statement = current.head.lemma_.lower() in self.lexicon.content_nouns
                if statement and trigger.sense.event_type in VERBAL_TYPES:
                    return False  # "issued a declaration demanding ...": the statement is the event
                if current is trigger.token and clauses.dated_past(current):
                    return False  # "supporters who marched on Monday": a dated act of the story, not a description
                if current is trigger.token and trigger.sense.event_type == "ACCUSE" and clauses.said_aside(current):
                    return False  # "Ankara, which blamed the deaths on the PKK, said ...": the accusation is news
                return current.head.pos_ in {"NOUN", "PROPN", "PRON"}
            if current.dep_ not in BACKGROUND_PATH or current.head is current:
                return False
            current = current.head
        return False

    def _is_casualty_clause(self, trigger: Trigger, found: list[Trigger]) -> bool:
        """Tell whether "killing 6 civilians" only gives the casualties of the event it hangs on."""
        token = trigger.token
        if trigger.support is not None or self.fatalities.kind(token) is None:
            return False
        if token.dep_ == "conj" and token.head.i in {t.token.i for t in found} and self.fatalities.kind(token.head):
            return True  # "three were killed and nine wounded": one event, its casualties
        if token.tag_ != "VBG":
            return False
        while token.dep_ == "conj" and token.head.tag_ == "VBG" and self.fatalities.kind(token.head) is not None:
            token = token.head  # "killing 6 and wounding 12": the first participle hangs on the event
        if token.dep_ not in PARTICIPLE_DEPS:
            return False
        heads = {t.token.i for t in found if t is not trigger} | {t.support.i for t in found if t.support is not None}
        return token.head.i in heads

    def _merge_causes(self, kept: list[Trigger]) -> list[Trigger]:
        """Fold "14 civilians were killed in shelling" into one ASSAULT with the cause's mode."""
        by_index = {t.token.i: t for t in kept}
        dropped: set[int] = set()
        merged = []
        for trigger in kept:
            token = trigger.token
            if trigger.sense.event_type == "ASSAULT" and self.fatalities.kind(token) and trigger.support is None:
                for cause in (c for p in token.children if p.dep_ == "prep" and p.lower_ in CAUSE_PREPOSITIONS
                              for c in p.children if c.dep_ in {"pobj", "pcomp"}):
                    inner = by_index.get(cause.i)
                    sense = inner.sense if inner is not None else (self.noun_trigger(cause) or (None, ""))[0]
                    if inner is not None:
                        dropped.add(cause.i)
                    if sense is not None and sense.event_type == "ASSAULT" and trigger.sense.mode is None:
                        trigger = replace(trigger, sense=sense)
            merged.append(trigger)
        return [t for t in merged if t.token.i not in dropped]
