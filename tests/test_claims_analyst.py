"""Claims an analyst must not read as facts: what a denial states inside its own clause is disputed by it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest


@pytest.mark.parametrize(("text", "event_type", "country"), [
    ("Israel denied that its forces had fired on civilians waiting for aid in Gaza.", "ASSAULT", "ISR"),
    ("The Kremlin denied that Russian forces had targeted civilians in Sumy.", "ASSAULT", "RUS"),
    ("Kigali denied that Rwandan troops were taking part in the fighting near Goma.", "ASSAULT", "RWA"),
])
def test_claims_analyst_content_of_a_denial_is_disputed(pipeline: Any, text: str, event_type: str,
                                                        country: str) -> None:
    events = pipeline.code_text(text, published=date(2025, 10, 14)).events
    [denial] = [e for e in events if e.event_type == "REJECT"]
    [claim] = [e for e in events if e.event_type == event_type]
    assert claim.actor is not None and claim.actor.country == country
    assert claim.claim_status == "disputed"
    assert claim.disputed_by == (denial.id,)
    assert denial.claim_status == "uncontested"


def test_claims_analyst_plain_report_stays_uncontested(pipeline: Any) -> None:
    events = pipeline.code_text("Kenyan police fired tear gas at protesters in Nairobi, witnesses said.",
                                published=date(2023, 3, 20)).events
    assert [e.claim_status for e in events] == ["uncontested"]
