"""One order everywhere: claims about hair first, then by verdict and certainty; a form's
page and its handout number the claims the same way."""

from __future__ import annotations

import dataclasses
import re

from generator.core import vocab
from generator.core.load import load_evidence
from generator.core.order import claim_order
from generator.outputs.handouts import handout_data
from generator.outputs.pages import render_site
from tests.conftest import ROOT

FORM = "magnesium-l-threonate"


def test_hair_claims_come_first_then_verdict_then_certainty() -> None:
    evidence, _ = load_evidence(ROOT)
    cards = claim_order(evidence.cards)
    groups = [list(vocab.GROUPS).index(c.group) for c in cards]
    assert groups == sorted(groups) and cards[0].group == "outcome" and len(set(groups)) > 1
    for group in vocab.GROUPS:
        keys = [(list(vocab.VERDICTS).index(c.verdict), vocab.CERTAINTIES.index(c.certainty))
                for c in cards if c.group == group]
        assert keys == sorted(keys)
    # the efficacy claim readers look for is no longer last
    mgt = claim_order(evidence.cards_of_form(FORM))
    assert [c.id for c in mgt].index("mgt-treats-androgenetic-alopecia") < 8


def _page_rows(page: str) -> list[tuple[int, str]]:
    return [(int(n), card) for n, card in re.findall(
        r'<td data-label="No\." class="ev-num">(\d+)</td>\s*<td data-label="Claim" '
        r'markdown="1">\[[^\]]*\]\(\.\./claims/([a-z0-9-]+)\.md\)', page)]


def test_form_page_and_handout_number_the_claims_alike() -> None:
    evidence, _ = load_evidence(ROOT)
    page = render_site(evidence, only={f"forms/{FORM}.md"})[f"forms/{FORM}.md"]
    rows = _page_rows(page)
    assert [n for n, _ in rows] == list(range(1, len(evidence.cards_of_form(FORM)) + 1))
    claims = {c.claim: c.id for c in evidence.cards}
    data = handout_data(evidence, None, "a4", evidence.form(FORM))
    handout = [(r["n"], claims[r["claim"]]) for r in data["sections"][0]["rows"]]
    # the handout lists the claims from the articles; the instead cards come last on the
    # page, and their statements end the handout's bottom line
    assert handout == [(n, c) for n, c in rows if evidence.card(c).group != "instead"]


def test_a_truncated_handout_keeps_the_page_numbers() -> None:
    evidence, _ = load_evidence(ROOT)
    form = evidence.form("magnesium")
    data = handout_data(evidence, None, "a4", form, cuts={"magnesium": (3, 5)})
    numbers = {c.id: n for n, c in enumerate(claim_order(evidence.cards_of_form("magnesium")), 1)}
    claims = {c.claim: c.id for c in evidence.cards}
    rows = data["sections"][0]["rows"]
    assert len(rows) == 5
    assert [r["n"] for r in rows] == [numbers[claims[r["claim"]]] for r in rows]
    assert [r["n"] for r in rows] == [1, 2, 3, 4, 5]  # the first claims, in the one order
    listed = data["sections"][0]["main_claims"] + data["sections"][0]["other_claims"]
    assert [c["n"] for c in listed] == [1, 2, 3]


def test_order_ignores_file_names() -> None:
    evidence, _ = load_evidence(ROOT)
    renamed = [dataclasses.replace(c, id=f"z{i}") for i, c in enumerate(evidence.cards)]
    assert [c.claim for c in claim_order(renamed)] == [c.claim for c in
                                                       claim_order(evidence.cards)]
