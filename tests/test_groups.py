"""Issue 24: what a claim tells the reader. Facts read as facts, a test's accuracy is graded as
diagnostic accuracy, and the methodology page explains both with real cards."""

from __future__ import annotations

from generator import load_evidence
from generator.core import vocab
from generator.core.order import claim_order
from generator.outputs.pages import render_site
from tests.conftest import ROOT


def test_facts_never_read_in_grades_words_about_effects() -> None:
    evidence, _ = load_evidence(ROOT)
    facts = [c for c in evidence.cards if c.question == "fact"]
    assert len(facts) >= 2, [c.id for c in facts]
    pages = render_site(evidence, only={c.url.rstrip("/") + ".md" for c in facts})
    for card in facts:
        page = pages[card.url.rstrip("/") + ".md"]
        assert card.certainty_label in vocab.FACT_CERTAINTY_LABELS.values()
        for words in ("very uncertain", "may be wrong", "close to the estimate",
                      "true effect"):
            assert words not in page, (card.id, words)
        assert card.verdict_label in vocab.ACCURACY_VERDICTS.values()


def test_a_test_accuracy_claim_without_an_accuracy_study_is_not_high() -> None:
    evidence, _ = load_evidence(ROOT)
    tests = [c for c in evidence.cards if c.question == "test-accuracy"]
    assert tests
    for card in tests:
        accuracy_studies = [s for s in card.studies
                            if s.design in ("human-observational", "human-rct")]
        if not accuracy_studies:
            assert card.certainty not in ("high", "moderate"), card.id


def test_the_methodology_page_explains_facts_and_tests_with_real_cards() -> None:
    evidence, _ = load_evidence(ROOT)
    page = render_site(evidence, only={"methodology.md"})["methodology.md"]
    section = page[page.index("### Facts and test accuracy"):page.index("### Groups")]
    assert section.count("*Worked example:*") == 2, section
    cards = claim_order(evidence.cards)  # the page takes the first in the site's order
    fact = next(c for c in cards if c.question == "fact" and c.grade.best)
    assert f"claims/{fact.id}.md" in section
    test = next(c for c in cards if c.question == "test-accuracy" and c.grade.best)
    assert f"claims/{test.id}.md" in section
