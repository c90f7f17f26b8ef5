"""The claims stage: attribute each event to its sources, link denials, merge repeated reports."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import Protocol, runtime_checkable

from spacy.tokens import Doc, Span

from eventcoder.claims.attribution import (
    SPEAKER_ENTITY_LABELS,
    Attribution,
    channel_of,
    find_attributions,
    relayed,
    speaker_keys,
)
from eventcoder.claims.blame import blame_the_told_act, link_blame, name_the_blamed
from eventcoder.claims.confirmations import confirm_by_reference
from eventcoder.claims.cues import Cues, load_cues
from eventcoder.claims.denials import link_denials
from eventcoder.claims.dismissals import speakers_as_deniers, unstated_denials
from eventcoder.claims.merge import entities_by_sentence, fill_implicit_agents, merge_reports, specific_dates
from eventcoder.claims.reciprocal import expand_reciprocal
from eventcoder.claims.report import Claim, Report, different_sides, side_of
from eventcoder.claims.responsibility import claimed_by_actor
from eventcoder.claims.speaker_side import fill_speaker_side
from eventcoder.model import ActorRef, ActorResolver, Event, Source
from eventcoder.nlp import ParsedDoc, entities, entities_in

PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "it", "we"})  # a subject that stands for the speaker


@runtime_checkable
class AgencyAware(Protocol):
    """A resolver that knows news agencies (the actors KB); agencies report, they are not parties."""

    def is_news_agency(self, text: str) -> bool:
        """Return ``True`` when ``text`` names a news agency."""
        ...


class ClaimLinker:
    """Fill ``sources``, ``claim_status`` and ``disputed_by``; merge repeated reports in a document.

    Sources are resolved through the actors stage. A news agency is a ``Source`` with ``actor=None``:
    agencies relay claims, they are not parties to them, so they never corroborate or dispute.
    Example: ``ClaimLinker(load_kb())(parsed, events)`` returns the events with their claims.
    """

    def __init__(self, resolver: ActorResolver, cues: Cues | None = None) -> None:
        self.resolver = resolver
        self.cues = cues if cues is not None else load_cues()

    def __call__(self, parsed: ParsedDoc, events: list[Event]) -> list[Event]:
        """Return new events with their claims; repeated reports of one happening come back as one."""
        if not events or not parsed.doc.has_annotation("SENT_START") or not len(parsed.doc):
            return list(events)
        return DocumentClaims(self, parsed).link(events)

    def pipe(self, items: Iterable[tuple[ParsedDoc, list[Event]]]) -> Iterator[list[Event]]:
        """Link claims for several documents, in order."""
        for parsed, events in items:
            yield self(parsed, events)

    def resolve_speaker(self, span: Span, when: date | None) -> ActorRef | None:
        """Resolve a speaker's phrase: the whole, then "for/of" objects, then its entities; agencies give None."""
        if self._is_agency(span):
            return None
        for text in speaker_keys(span):
            actor = self.resolver.resolve(text, when)
            if actor is not None:
                if actor.sector == "MED":
                    return None
                return replace(actor, text=span.text)
        return None

    def _is_agency(self, span: Span) -> bool:
        """Tell whether a speaker is a news agency or other media (by the KB, or by its head noun)."""
        if span.root.lower_ in self.cues.media_nouns or span.root.lemma_.lower() in self.cues.media_nouns:
            return True
        if not isinstance(self.resolver, AgencyAware):
            return False
        if self.resolver.is_news_agency(span.text):
            return True
        return any(self.resolver.is_news_agency(ent.text) for ent in entities_in(span) if ent.label_ == "ORG")


class DocumentClaims:
    """The claims of one document, read sentence by sentence."""

    def __init__(self, linker: ClaimLinker, parsed: ParsedDoc) -> None:
        self.linker = linker
        self.cues = linker.cues
        self.document = parsed.document
        self.doc: Doc = parsed.doc
        self.text = parsed.doc.text  # Doc.text joins every token on each call
        self.sents = list(self.doc.sents)
        self.starts = [s.start_char for s in self.sents]
        self.ents = entities_by_sentence(self.doc, self.sents)
        self._parties: list[ActorRef] | None = None
        self._last_speaker: Source | None = None
        self._attributions: dict[int, list[Attribution]] = {}
        self._resolved: dict[int, list[list[Claim]]] = {}

    def link(self, events: list[Event]) -> list[Event]:
        """Run every step in order; ids are computed only once the REJECTs are final."""
        reports = expand_reciprocal(self, [self._report(event) for event in events])
        reports += unstated_denials(self, reports)
        self._attribute(reports)
        for report in reports:
            self._speaker_as_actor(report)
        fill_implicit_agents(self, reports)
        fill_speaker_side(self, reports)
        confirm_by_reference(self, reports)
        speakers_as_deniers(self, reports)
        name_the_blamed(self, reports)
        blame_the_told_act(self.doc, reports, self.cues)
        reports = merge_reports(self.doc, self.ents, reports, self.cues)
        link_denials(self.doc, self.sents, reports, self.cues, self._denier)
        link_blame(self.doc, reports, self.cues)
        disputing = {id(d) for r in reports for d in r.disputes}
        return self._finish([r for r in reports if r.stated or id(r) in disputing])

    # -- reading the document -------------------------------------------------------------------

    def _report(self, event: Event) -> Report:
        anchor = event.evidence.trigger_start if event.evidence.trigger_start is not None else event.evidence.start
        sentence = max(0, bisect.bisect_right(self.starts, anchor) - 1)
        return Report(event, sentence, self._trigger_tokens(event, self.sents[sentence]))

    def _trigger_tokens(self, event: Event, sent: Span) -> tuple[int, ...]:
        trigger = event.evidence.trigger
        start = event.evidence.trigger_start
        if start is None and trigger:
            found = sent.text.find(trigger)
            start = sent.start_char + found if found >= 0 else None
        if start is None:
            return ()
        span = self.doc.char_span(start, start + max(len(trigger), 1), alignment_mode="expand")
        return tuple(t.i for t in span) if span is not None else ()

    def attributions(self, index: int) -> list[Attribution]:
        """Return the speech acts of sentence ``index``."""
        if index not in self._attributions:
            self._attributions[index] = find_attributions(self.sents[index], self.cues)
        return self._attributions[index]

    def _attribute(self, reports: list[Report]) -> None:
        """Give each report the claims of the speech covering its trigger, continued speech or the publisher."""
        by_sentence: dict[int, list[Report]] = {}
        for report in reports:
            by_sentence.setdefault(report.sentence, []).append(report)
        quoted = self._quote_groups()
        continuing: tuple[list[Claim], int] | None = None  # the last clausal report and its sentence
        for index in range(len(self.sents)):
            attributions = self.attributions(index)
            if continuing is not None and not self._continues(index, continuing[1], quoted):
                continuing = None
            resolved = self.resolved(index)
            for report in by_sentence.get(index, []):
                claims = self._covering(report, attributions, resolved)
                if not claims and quoted.get(index) is not None:
                    claims = self._quotation_claims(quoted[index], quoted)
                if not claims:
                    claims = claimed_by_actor(self.doc, report, index, self.cues)
                if not claims and not attributions and continuing is not None and not self._speaks_itself(report):
                    claims = [replace(c, source=replace(c.source, cue=f"{c.source.cue}, continued"))
                              for c in continuing[0]]
                if not claims:
                    claims = self._published_by_actor(report, index)
                if not claims and self.document.publisher:
                    claims = [Claim(Source(self.document.publisher, None, "publisher"), (index, -1), publisher=True)]
                report.add_claims(claims)
            clausal = [r for a, r in zip(attributions, resolved, strict=True) if a.clausal and r]
            if clausal:
                continuing = (clausal[-1], index)
            elif attributions and quoted.get(index) is None:
                continuing = None

    def _speaks_itself(self, report: Report) -> bool:
        """Tell whether an event is a named actor's own statement ("the ministry condemned it"), no one's report."""
        return report.event.event_type in self.cues.statement_types and report.event.actor is not None

    def _published_by_actor(self, report: Report, index: int) -> list[Claim]:
        """Claim a statement made through a channel for its actor ("called on them in a Facebook post")."""
        event = report.event
        if event.actor is None or event.event_type not in self.cues.statement_types or not report.tokens:
            return []
        trigger = self.doc[report.tokens[0]]
        channel = channel_of(trigger, self.cues)
        if channel is None:
            return []
        return [Claim(Source(event.actor.text, event.actor, f"{trigger.text} {channel}"), (index, -2))]

    def resolved(self, index: int) -> list[list[Claim]]:
        """Return the claims of each speech act of sentence ``index``, resolved once."""
        if index not in self._resolved:
            self._resolved[index] = [self._claims(a, index, n) for n, a in enumerate(self.attributions(index))]
        return self._resolved[index]

    def _quotation_claims(self, group: int, quoted: dict[int, int]) -> list[Claim]:
        """Return the claims of the speaker a multi-sentence quotation is attributed to."""
        for index in sorted(i for i, g in quoted.items() if g == group):
            for attribution, claims in zip(self.attributions(index), self.resolved(index), strict=True):
                if attribution.clausal and claims:
                    return claims
        return []

    def _covering(self, report: Report, attributions: list[Attribution], resolved: list[list[Claim]]) -> list[Claim]:
        """Return the claims of the speech acts whose content holds the trigger, innermost first."""
        tokens = set(report.tokens)
        if not tokens:
            sent = self.sents[report.sentence]
            tokens = {t.i for t in sent if t.pos_ == "VERB"}
        covering = [(len(a.region), n) for n, a in enumerate(attributions) if tokens & a.region]
        claims: list[Claim] = []
        for _, n in sorted(covering):
            claims.extend(resolved[n])
        return claims

    def _continues(self, index: int, since: int, quoted: dict[int, int]) -> bool:
        """Tell whether sentence ``index`` may continue the reported speech of sentence ``since``."""
        if quoted.get(index) is not None and quoted.get(index) == quoted.get(since):
            return True
        if index - since > self.cues.continuation_window:
            return False
        if self._paragraph(index) != self._paragraph(since):
            return False
        if specific_dates(self.ents[index]) - specific_dates(self.ents[since]):
            return False  # "In July there was fighting": background in the narrator's voice
        opening = self.sents[index].text.strip().lower()
        return not any(opening.startswith(marker) for marker in self.cues.narrator_markers) and not any(
            t.lower_ in self.cues.narrator_markers and t.dep_ == "advmod" for t in self.sents[index])

    def _paragraph(self, index: int) -> int:
        """Return the paragraph number of a sentence (line breaks before its first word)."""
        words = [t for t in self.sents[index] if not t.is_space]
        start = words[0].idx if words else self.sents[index].start_char
        return self.text.count("\n", 0, start)

    def _quote_groups(self) -> dict[int, int]:
        """Map each sentence inside a multi-sentence quotation to the index of its first sentence."""
        groups: dict[int, int] = {}
        open_since: int | None = None
        for index, sent in enumerate(self.sents):
            if open_since is not None:
                groups[index] = open_since
            for token in sent:
                if token.text in ("“", "«") or (token.text == '"' and open_since is None):
                    open_since = index if open_since is None else open_since
                elif token.text in ("”", "»", '"'):
                    open_since = None
            if open_since is not None:
                groups.setdefault(index, open_since)
        return groups

    def _claims(self, attribution: Attribution, index: int, number: int) -> list[Claim]:
        """Resolve an attribution's speakers into claims (both parties for "both sides")."""
        claims: list[Claim] = []
        for mention in attribution.speakers:
            text = mention.text.lower().strip()
            if any(text == phrase or text.endswith(" " + phrase) for phrase in self.cues.both_parties):
                parties = self.parties(index)
                if len(parties) < 2:  # the story does not say who the sides are
                    claims.append(Claim(Source(mention.text, None, attribution.cue), (index, 100 * number)))
                    continue
                for side, party in enumerate(parties):
                    source = Source(mention.text, replace(party, text=mention.text), attribution.cue)
                    claims.append(Claim(source, (index, 100 * number + side + 1)))
                continue
            if text in PRONOUNS:
                antecedent = self._last_speaker or self._last_person(mention.start)
                if antecedent is not None:
                    claims.append(Claim(replace(antecedent, cue=attribution.cue), (index, 100 * number)))
                    continue
            actor = self.linker.resolve_speaker(self.doc[mention.start: mention.end], self.document.published)
            if actor is None and mention.described is not None:
                actor = self.linker.resolve_speaker(self.doc[slice(*mention.described)], self.document.published)
                actor = replace(actor, text=mention.text) if actor is not None else None
            source = Source(mention.text, actor, attribution.cue)
            if text not in PRONOUNS:
                self._last_speaker = source
            claims.append(Claim(source, (index, 100 * number)))
        if attribution.kind == "denial":
            return [replace(c, denied=True) for c in claims]
        return claims

    def _denier(self, report: Report) -> ActorRef | None:
        """Return who denies: the REJECT's actor, or for "he rejected it" the person last named before."""
        actor = report.event.actor
        if actor is None or actor.country is not None or actor.text.lower() not in PRONOUNS or not report.tokens:
            return actor
        person = self._last_person(report.tokens[0])
        return person.actor if person is not None and person.actor is not None else actor

    def _last_person(self, before: int) -> Source | None:
        """Return the last person named before a token, as the antecedent of "he said"."""
        people = [e for e in entities(self.doc) if e.label_ == "PERSON" and e.end <= before]
        if not people:
            return None
        return Source(people[-1].text, self.linker.resolve_speaker(people[-1], self.document.published))

    def parties(self, index: int) -> list[ActorRef]:
        """Return the story's two warring parties: named in the sentence, else the most named countries."""
        in_sentence = self.countries(self.ents[index])
        if len(in_sentence) >= 2:
            return list(in_sentence.values())[:2]
        if self._parties is None:
            counts: Counter[str] = Counter()
            refs = self.countries(entities(self.doc), counts)
            self._parties = [refs[country] for country, _ in counts.most_common(2)]
        return self._parties

    def countries(self, ents: Iterable[Span], counts: Counter[str] | None = None) -> dict[str, ActorRef]:
        """Resolve place and group names to countries, keeping the first reference to each."""
        refs: dict[str, ActorRef] = {}
        for ent in ents:
            if ent.label_ not in SPEAKER_ENTITY_LABELS:
                continue
            # "Armenian and Azerbaijani" can come as one entity: read its words too
            names = [ent.text, *(t.text for t in ent if t.pos_ in ("PROPN", "ADJ") and len(ent) > 1)]
            for name in names:
                actor = self.linker.resolver.resolve(name, self.document.published)
                if actor is None or actor.country is None:
                    continue
                known = refs.get(actor.country)
                # the country itself stands for its side better than a region or group of it
                if known is None or (not _is_country(known) and _is_country(actor)):
                    refs[actor.country] = ActorRef(name, actor.name, actor.country, None, actor.kb_id)
                if counts is not None:
                    counts[actor.country] += 1
        return refs

    def speaker_actor(self, span: Span) -> ActorRef | None:
        """Resolve a phrase as a speaker or agent."""
        return self.linker.resolve_speaker(span, self.document.published)

    # -- filling and finishing -------------------------------------------------------------------

    def _speaker_as_actor(self, report: Report) -> None:
        """Give an actorless event its speaker as actor.

        An accusation nobody is named for is the speaker's ("Armenia provoked the fighting", continuing
        Baku); so is an act whose subject is a pronoun in the speaker's own sentence ("Hamas said it fired").
        """
        event = report.event
        if event.actor is not None:
            return
        claimants = report.claimants()
        if event.event_type not in self.cues.speaker_is_actor:
            if not self._pronoun_subject(report):
                return
            claimants = [c for c in claimants if c.origin[0] == report.sentence
                         and not (c.source.cue or "").endswith("continued")]
        for claim in claimants:
            if claim.source.actor is not None:
                report.event = replace(event, actor=replace(claim.source.actor, text=claim.source.text))
                return

    def _pronoun_subject(self, report: Report) -> bool:
        """Tell whether the trigger's subject is a pronoun ("it had fired the rockets")."""
        if not report.tokens:
            return False
        trigger = self.doc[report.tokens[0]]
        return any(c.dep_ == "nsubj" and c.lower_ in SPEAKER_PRONOUNS for c in trigger.children)

    def _finish(self, reports: list[Report]) -> list[Event]:
        """Freeze the reports into events with sources, disputed_by and claim_status."""
        ids = {id(report): report.event.id for report in reports}
        events = []
        for report in reports:
            disputed_by = tuple(dict.fromkeys(ids[id(r)] for r in report.disputes))
            status = "disputed" if disputed_by else ("corroborated" if self._corroborated(report) else "uncontested")
            sources = tuple(c.source for c in report.claims)
            events.append(replace(report.event, sources=sources, disputed_by=disputed_by,
                                  claim_status=status))  # type: ignore[arg-type]
        return events

    def _corroborated(self, report: Report) -> bool:
        """Tell whether two parties report the event independently (different sides, different reports)."""
        claims = [(side_of(c.source.actor, self.cues), c.origin) for c in report.claimants()]
        return any(different_sides(a, b) and oa != ob and not relayed(self.attributions(oa[0]), oa, ob)
                   for a, oa in claims for b, ob in claims)


def _is_country(actor: ActorRef) -> bool:
    """Tell whether a resolved reference is a country as a whole (Azerbaijan), not a region or group of it."""
    return (actor.kb_id or "").startswith("country:")
