"""The event coder: each trigger of a sentence to events with their roles, modality and fatalities."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from eventcoder.events import intent, roles
from eventcoder.events.agents import instrument_agents, load_agent_cues
from eventcoder.events.arguments import Arguments, nominal_arguments, owners, verbal_arguments
from eventcoder.events.fatalities import FatalityReader
from eventcoder.events.lexicon import Lexicon, Sense, load_lexicon
from eventcoder.events.mentions import MentionResolver, fill_opponents
from eventcoder.events.modality import ModalityReader
from eventcoder.events.politics import is_domestic_politics, load_politics_cues
from eventcoder.events.triggers import PARTICIPLE_DEPS, Trigger, TriggerFinder
from eventcoder.model import ActorRef, ActorResolver, Document, Event, Evidence, Fatalities, Modality
from eventcoder.nlp import ParsedDoc, headline

WARNED_OF = ("of", "about", "against")  # what a threat warns of: "warned of retaliation", "of grave consequences"
# Where a verb that addresses someone names them inside what it demands, threatens or refuses.
ADDRESSED_CLAUSES = {"REQUEST": frozenset({"xcomp", "ccomp"}), "THREATEN": frozenset({"xcomp", "ccomp"}),
                     "REJECT": frozenset({"xcomp"})}


class EventCoder:
    """Code the events of a parsed document (PLOVER 0.8 type, mode, contexts, actor, recipient, modality).

    ``resolver`` is any ``ActorResolver`` (``eventcoder.actors.load_kb()`` in the pipeline); ``lexicon``
    defaults to the packaged one (``load_lexicon()``).
    """

    def __init__(self, resolver: ActorResolver, lexicon: Lexicon | None = None) -> None:
        self.resolver = resolver
        self.lexicon = lexicon or load_lexicon()
        self.modality = ModalityReader(self.lexicon.modality)
        self.fatalities = FatalityReader(self.lexicon.numbers)
        self.trigger_finder = TriggerFinder(self.lexicon, self.fatalities)
        self.agent_cues = load_agent_cues()
        self.politics_cues = load_politics_cues()

    def __call__(self, parsed: ParsedDoc) -> list[Event]:
        """Return the events of one document, in text order.

        Args:
            parsed: the document with its spaCy parse (``Parser`` from ``eventcoder.nlp``).

        Returns:
            New events with type, mode, contexts, CAMEO root, quad class, actor and recipient (their mention
            text kept when unresolved), modality, fatalities and evidence; sources and claim status are left
            for the claims stage. Example: "Russia called for an immediate ceasefire." gives one REQUEST
            (mode yield) whose actor is ``ActorRef(text="Russia", country="RUS", ...)``.
        """
        document = parsed.document
        mentions = MentionResolver(self.resolver, self.lexicon.content_nouns, document.published,
                                   self.lexicon.instruments)
        events: list[Event] = []
        for sentence in parsed.doc.sents:
            for trigger in self.triggers(sentence):
                events.extend(self._events(trigger, sentence, document, mentions))
        return fill_opponents(told_once(events, headline(parsed.doc)))

    def pipe(self, docs: Iterable[ParsedDoc]) -> Iterator[list[Event]]:
        """Code documents lazily, keeping their order."""
        for parsed in docs:
            yield self(parsed)

    def triggers(self, sentence: Span) -> list[Trigger]:
        """Return the event triggers of a sentence after suppressing content and reference mentions."""
        return self.trigger_finder(sentence)

    def lemma(self, verb: Token) -> str:
        """Return a verb's lemma, repaired from its form when the lemmatizer strays ("staged" -> "stag")."""
        return self.trigger_finder.lemma(verb)

    def verb_sense(self, verb: Token) -> tuple[Sense | None, int]:
        """Return a verb's sense and the weight of the pattern that chose it (0: the verb alone)."""
        return self.trigger_finder.verb_sense(verb)

    def noun_trigger(self, token: Token) -> tuple[Sense, str] | None:
        """Return the sense and phrase of a nominal trigger headed by ``token``, if it is one."""
        return self.trigger_finder.noun_trigger(token)

    def _events(self, trigger: Trigger, sentence: Span, document: Document,
                mentions: MentionResolver) -> list[Event]:
        """Build the events of one trigger: one per actor-recipient pair (none for elections and bare laws)."""
        if trigger.support is None and is_domestic_politics(trigger.token, self.lemma(trigger.token),
                                                            self.politics_cues):
            return []
        if trigger.sense.event_type == "THREATEN" and trigger.support is None and self._forecast(trigger.token):
            return []
        arguments = self._arguments(trigger)
        head = trigger.support if trigger.support is not None else trigger.token
        noun = trigger.token if trigger.support is not None else None
        modality: Modality = self.modality(head, noun, document.published)
        fatalities = self._fatalities(trigger)
        evidence = _evidence(sentence, trigger)
        sense = trigger.sense
        statement = intent.stated(head, modality, self.lexicon.modality.intent_heads, self.lexicon.speech_verbs,
                                  self.lexicon.content_nouns)
        if statement is not None:
            sense, modality, arguments = intent.recode(sense, modality, statement, arguments,
                                                       dict(self.lexicon.quad_classes))
        base = Event(
            doc_id=document.id, event_type=sense.event_type, evidence=evidence, published=document.published,
            publisher=document.publisher, mode=sense.mode, contexts=sense.contexts, cameo_root=sense.cameo_root,
            quad_class=self.lexicon.quad_classes.get(sense.event_type), modality=modality, fatalities=fatalities,
        )
        venue = _venue(head)
        agent = self._agent(arguments, mentions, venue) if arguments.agents else None
        if agent is not None:
            arguments = replace(arguments, actors=[agent])
        pairs: list[tuple[Token | None, Token | None]] = list(arguments.pairs)
        if not pairs:
            actors: list[Token | None] = list(arguments.actors) or [None]
            recipients: list[Token | None] = list(arguments.recipients) or [None]
            pairs = [(a, r) for a in actors for r in recipients]
        events = []
        seen: set[tuple[str, str]] = set()
        for actor_head, recipient_head in pairs:
            actor = mentions(actor_head, recipient=False, venue=venue)
            recipient = mentions(recipient_head, recipient=True)
            if arguments.indirect and recipient is not None and recipient.country is None and recipient.sector is None:
                recipient = None  # "fighting on the border": a place, not a target
            key = (actor.text if actor else "", recipient.text if recipient else "")
            if key in seen:
                continue
            seen.add(key)
            armed = actor_head is not None and actor_head.lemma_.lower() in self.lexicon.instruments
            if not (sense.curated or trigger.blame or armed or _known(actor) or _known(recipient)):
                continue  # a Phoenix verb sense alone ("offers", "goes") needs a known participant or a weapon
            if not _known(recipient) and not arguments.pairs:
                recipient = self._fallback(arguments, mentions) or recipient
            event = replace(base, actor=actor, recipient=recipient)
            if actor is not None and _known(actor) and trigger.support is None:
                for weapon in self._launched(trigger.token):
                    mentions.record_launch(weapon, actor)
            if self._is_dissent(trigger, event):
                event = replace(event, event_type="PROTEST", mode="obstruct", cameo_root="14",
                                quad_class=self.lexicon.quad_classes["PROTEST"])
            elif self._is_state_obstruction(trigger, event) and self.lexicon.state_obstruction is not None:
                state = self.lexicon.state_obstruction
                event = replace(event, event_type=state.event_type, mode=state.mode, contexts=state.contexts,
                                cameo_root=state.cameo_root, quad_class=self.lexicon.quad_classes.get(state.event_type))
            if len(pairs) > 1 and fatalities.text is not None and recipient_head is not None:
                event = replace(event, fatalities=self._fatalities(trigger, recipient_head))
            events.append(event)
        return events

    @staticmethod
    def _fallback(arguments: Arguments, mentions: MentionResolver) -> ActorRef | None:
        """Return the first known actor among the recipients the roles suggest after the direct one."""
        for head in arguments.fallbacks:
            found = mentions(head, recipient=True)
            if _known(found):
                return found
        return None

    def _forecast(self, verb: Token) -> bool:
        """Tell whether a warning is a gloomy forecast, not a threat: nobody is warned, nothing is warned of or
        against ("of retaliation"), nothing is to come ("would retaliate", "if"), and the verb alone chose the sense:
        "farmers are at risk from falling prices, the agency warned"."""
        if self.lemma(verb) not in self.lexicon.warning_verbs or self.verb_sense(verb)[1] > 0:
            return False
        if any(c.dep_ in roles.OBJECTS or c.dep_ in roles.PASSIVE_SUBJECTS for c in verb.children):
            return False  # "warned Japan", "residents were warned to leave"
        if any(True for _ in roles.prepositional(verb, WARNED_OF)):
            return False
        cues = self.lexicon.modality
        to_come = cues.future_auxiliaries | cues.hypothetical_auxiliaries
        marks = cues.hypothetical_marks
        return not any((t.dep_ == "aux" and t.lower_ in to_come) or (t.dep_ == "mark" and t.lower_ in marks)
                       for t in verb.subtree)

    def _is_dissent(self, trigger: Trigger, event: Event) -> bool:
        """Tell whether an obstruction ("blocked the bridge") is done by dissidents, not by a state."""
        return (event.event_type == "COERCE" and trigger.support is None and event.actor is not None
                and event.actor.sector in self.lexicon.dissident_sectors
                and self.lemma(trigger.token) in self.lexicon.obstruction_verbs)

    def _launched(self, verb: Token) -> list[Token]:
        """Return the weapons a launch verb sends: "fired the rockets", "fired hundreds of rockets"."""
        if self.lemma(verb) not in self.lexicon.launch_verbs:
            return []
        found = []
        for thing in (c for c in verb.children if c.dep_ in roles.OBJECTS):
            found.append(thing)
            found += [o for p in thing.children if p.dep_ == "prep" and p.lower_ == "of"
                      for o in p.children if o.dep_ == "pobj"]
        return found

    def _is_state_obstruction(self, trigger: Trigger, event: Event) -> bool:
        """Tell whether a blockage coded as protest ("officers blocked the road") is done by the state."""
        return (event.event_type == "PROTEST" and event.mode == "obstruct" and event.actor is not None
                and event.actor.sector in self.lexicon.state_sectors
                and self.lemma(trigger.token) in self.lexicon.obstruction_verbs)

    def _arguments(self, trigger: Trigger) -> Arguments:
        """Return actor heads, recipient heads and reciprocal pairs ("between A and B")."""
        token = trigger.token
        if trigger.blame:
            target = self.trigger_finder.blame_target(token) if token.pos_ == "NOUN" else roles.subject_of(token)
            return Arguments([], roles.expand(target) if target is not None else [])
        if trigger.support is not None:
            return nominal_arguments(token, trigger.support)
        addressed = ADDRESSED_CLAUSES.get(trigger.sense.event_type, frozenset())
        arguments = verbal_arguments(token, self._is_means, self.lexicon.content_nouns, addressed)
        if trigger.criticised is not None:
            return _aimed_at_owner(arguments, trigger.criticised)
        if (self.lemma(token) in self.lexicon.participation_verbs and roles.is_passive(token)
                and not arguments.actors and not arguments.pairs):
            arguments = replace(arguments, actors=arguments.recipients, recipients=[])  # "were engaged in fighting"
        if self.lemma(token) in self.lexicon.victim_verbs and not arguments.recipients and not arguments.pairs:
            arguments = replace(arguments, actors=[], recipients=arguments.actors)  # "three farmers died": the victims
        if not arguments.actors and not arguments.pairs:
            return replace(arguments, agents=tuple(instrument_agents(token, self._is_attack, self.agent_cues)))
        return arguments

    def _is_attack(self, noun: Token) -> bool:
        """Tell whether a noun is an attack or a weapon: "a drone strike", "shelling", "a roadside bomb"."""
        if noun.lemma_.lower() in self.lexicon.instruments:
            return True
        found = self.trigger_finder.noun_trigger(noun)
        return found is not None and found[0].event_type in {"ASSAULT", "COERCE"}

    @staticmethod
    def _agent(arguments: Arguments, mentions: MentionResolver, venue: Token | None) -> Token | None:
        """Return the first candidate agent inside the instrument that names a known actor.

        A common noun must name a kind of actor ("police", "army"), not only match a country ("roadside").
        """
        for head in arguments.agents:
            found = mentions(head, recipient=False, venue=venue)
            if _known(found) and (head.pos_ != "NOUN" or head.ent_type_ or (found and found.sector)):
                return head
        return None

    def _is_means(self, noun: Token) -> bool:
        """Tell whether an object is an event noun or an instrument: "imposed martial law", "fired tear gas"."""
        numbers = self.lexicon.numbers
        if noun.like_num or noun.lemma_.lower() in numbers.vague | numbers.scales.keys():
            # "hundreds of rockets": the counted noun is what counts
            noun = next((c for p in noun.children if p.lower_ == "of" for c in p.children), noun)
        if noun.lemma_.lower() in self.lexicon.instruments:
            return not self._intercepts(noun)
        return self.trigger_finder.noun_trigger(noun) is not None

    def _intercepts(self, weapon: Token) -> bool:
        """Tell whether a weapon is the target of its verb: "shot down eleven drones", "intercepted a missile"."""
        verb = weapon.head
        while verb.dep_ in {"prep", "pobj"} and verb.head is not verb:  # "hundreds of rockets"
            verb = verb.head
        if verb.pos_ != "VERB":
            return False
        lemma = self.lemma(verb)
        particles = [f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt"]
        return lemma in self.lexicon.interception_verbs or any(p in self.lexicon.interception_verbs for p in particles)

    def _fatalities(self, trigger: Trigger, only: Token | None = None) -> Fatalities:
        """Read the casualties of an ASSAULT; ``only`` limits them to one victim of a compound object."""
        if trigger.sense.event_type != "ASSAULT" or trigger.support is not None:
            return Fatalities()
        verb = trigger.token
        result = Fatalities()
        participles = [c for c in verb.children if c.dep_ in PARTICIPLE_DEPS and self.fatalities.kind(c)]
        participles += [c for p in participles for c in p.children if c.dep_ == "conj" and self.fatalities.kind(c)]
        for clause in [verb, *participles]:  # "shelled the town, killing 6 and wounding 12"
            if self.fatalities.kind(clause) is None:
                continue
            if roles.is_passive(clause) and clause.i == verb.i:
                victims = roles.children(clause, roles.PASSIVE_SUBJECTS)
            elif clause.dep_ == "conj" and clause.head.i == verb.i and roles.is_passive(verb):
                victims = roles.children(clause, roles.SUBJECTS | roles.PASSIVE_SUBJECTS)  # "and nine wounded"
            else:
                victims = roles.children(clause, roles.OBJECTS)
            victims = [v for head in victims for v in roles.expand(head) if only is None or v.i == only.i]
            if victims:
                result = self.fatalities.merge(result, self.fatalities.read(clause, victims))
        return result


def told_once(events: list[Event], title: Span | None) -> list[Event]:
    """Drop the headline's events that the story tells again: "Police detain bank bosses" then "Police have
    detained three bank executives ..." is one COERCE, read from the body, which names its participants."""
    if title is None:
        return events
    end = title.end_char
    told = {e.event_type for e in events if e.evidence.start >= end}
    return [e for e in events if e.evidence.start >= end or e.event_type not in told]


def _aimed_at_owner(arguments: Arguments, statement: Token) -> Arguments:
    """Make whose statement a verbal attack criticises its recipient: "attacked Labour's pledges" is aimed at Labour."""
    if arguments.pairs or (arguments.recipients and all(r.i != statement.i for r in arguments.recipients)):
        return arguments  # "slammed the government over its budget": the government is the recipient
    found = owners(statement)
    recipients = roles.expand(found[0]) if found else []
    return replace(arguments, recipients=recipients, indirect=False, fallbacks=(*found[1:], *arguments.fallbacks))


def _known(actor: ActorRef | None) -> bool:
    return actor is not None and (actor.country is not None or actor.sector is not None)


def _venue(head: Token) -> Token | None:
    """Return the first place named in the event's "in"/"at" phrase ("rioted at a jail in Dili")."""
    for preposition in head.children:
        if preposition.dep_ == "prep" and preposition.lower_ in {"in", "at"}:
            for token in preposition.subtree:
                if token.ent_type_ == "GPE" and token.ent_iob_ == "B":
                    return token
    return None


def _evidence(sentence: Span, trigger: Trigger) -> Evidence:
    text = sentence.text.strip()
    offset = len(sentence.text) - len(sentence.text.lstrip())
    start = sentence.start_char + offset
    return Evidence(sentence=text, start=start, end=start + len(text), trigger=trigger.text or trigger.token.text,
                    trigger_start=trigger.token.idx)
