"""The controlled vocabulary: every enumerated value, with its label and meaning."""

from __future__ import annotations

import re

# GRADE's four levels, best first; a claim on which no study bears has no level: no-studies.
LEVELS = ("high", "moderate", "low", "very-low")
NO_STUDIES = "no-studies"
CERTAINTIES = (*LEVELS, NO_STUDIES)  # best first

VERDICTS = {
    "supported": "Supported",
    "partly-supported": "Partly supported",
    "not-supported": "Not supported",
    "contradicted": "Contradicted",
}
VERDICT_MEANING = {
    "supported": "The evidence backs the claim as stated.",
    "partly-supported": "Part of the claim holds, or it holds only in another setting, "
    "form or population than stated.",
    "not-supported": "No adequate evidence backs the claim as stated: "
    "studies are missing, or they are about something else.",
    "contradicted": "Studies show the opposite of the claim, or the cited source says otherwise.",
}
# The same verdicts, worded as fact-checkers word them, for a statement of fact or about the
# evidence itself ("there is no tested dose"): a true statement that studies are missing is
# "Accurate", which no reader takes for good news about the supplement.
ACCURACY_VERDICTS = {
    "supported": "Accurate",
    "partly-supported": "Partly accurate",
    "not-supported": "Unsupported",
    "contradicted": "Incorrect",
}
ACCURACY_MEANING = {
    "supported": "The statement is correct.",
    "partly-supported": "Part of the statement is correct, or it is correct only with a "
    "qualification.",
    "not-supported": "Nothing we could find backs the statement.",
    "contradicted": "The statement is wrong: the sources say otherwise.",
}

# What a claim is about, and so where it is listed (in this order) and how it is worded.
# "{outcome}" is the site's main outcome (the plugin's `outcome`).
GROUPS = {
    "outcome": "Claims about its effect on {outcome}",
    "evidence": "What the articles say about the evidence",
    "background": "Background",
    "instead": "What the evidence supports instead",
}
GROUP_MEANING = {
    "outcome": "The claim is that the supplement form affects {outcome}.",
    "evidence": "A statement about the studies themselves: what was tested, in whom, at what "
    "dose, or that something is unknown.",
    "background": "Physiology, safety, reference values and other facts an article uses "
    "along the way.",
    "instead": "Not a claim from the articles: what reviews of the evidence have found to "
    "help {outcome}, checked the same way.",
}
DEFAULT_GROUP = "background"

CITATION_CHECKS = {
    "not-found": "Citation not found",
    "misattributed": "Citation misattributed",
    "verified": "Citation verified",
    "none": "No citation given",
}  # most serious first: a card's overall check is the first that any appearance has
CITATION_MEANING = {
    "verified": "The cited source exists and says what the article says it does.",
    "misattributed": "A real source exists but is about another compound, population, "
    "journal or year, says something else, or the link points to a different paper.",
    "not-found": "No source matching the citation could be found; the card says what was "
    "searched.",
    "none": "The article cites nothing for the claim.",
}

CERTAINTY_LABELS = {
    "high": "High",
    "moderate": "Moderate",
    "low": "Low",
    "very-low": "Very low",
    "no-studies": "No studies",
}
# GRADE's definitions, in the plain words used by GRADE summary-of-findings tables.
# Each follows CERTAINTY_LEAD where both are shown, so it does not repeat the lead's words.
CERTAINTY_MEANING = {
    "high": "The true effect lies close to what the studies found.",
    "moderate": "The true effect is probably close to what the studies found, but it may be "
    "substantially different.",
    "low": "The true effect may be substantially different from what the studies found.",
    "very-low": "The true effect is likely to be substantially different from what the "
    "studies found.",
    "no-studies": "Without studies there is no evidence to be certain about, in either "
    "direction.",
}
CERTAINTY_LEAD = {
    "high": "We are confident in this evidence.",
    "moderate": "The evidence is probably right.",
    "low": "The evidence may be wrong.",
    "very-low": "We are very uncertain about this evidence.",
    "no-studies": "No study has looked at this.",
}

# A statement of fact (question `fact`) is not an effect: GRADE's words ("the true effect",
# "may be wrong") say nothing a reader can use about a definition. Its level says how firmly
# authoritative references (textbooks, official reference reviews) establish it.
FACT_CERTAINTY_LABELS = {
    "high": "Established",
    "moderate": "Mostly established",
    "low": "Not established",
    "very-low": "Not established",
    "no-studies": "No reference found",
}
FACT_CERTAINTY_LEAD = {
    "high": "Textbooks and official reference works settle this.",
    "moderate": "Reference works settle this, with qualifications.",
    "low": "No textbook or official reference work settles this; only weaker sources do.",
    "very-low": "No textbook or official reference work settles this; only weaker sources do.",
    "no-studies": "We found no reference work on this.",
}
FACT_QUESTIONS = ("fact", "test-accuracy")  # verdicts worded as accuracy (ACCURACY_VERDICTS)

# The kind of question a claim asks → (label, what it covers). GRADE's starting level
# depends on it: surveys answer "how common" well, and effects poorly.
QUESTIONS = {
    "effect": ("Effect of taking it", "Does taking it do this in people?"),
    "association": ("Cause or association", "Is this linked to, or does it cause, that?"),
    "prevalence": ("How common", "How common is something?"),
    "mechanism": ("Mechanism", "How it works in cells or animals, and background physiology"),
    "reference-values": ("Reference values and safety",
                         "How much people need, upper limits, side effects and cautions"),
    "fact": ("Established fact", "A definition, a classification, or textbook anatomy and "
             "physiology"),
    "test-accuracy": ("Test accuracy", "Does a test show what it is said to show?"),
}

# Study design → its label. (Was DESIGNS, with a start level: the start now depends on the
# question too, see START.)
DESIGN_LABELS = {
    "systematic-review": "Systematic review or meta-analysis",
    "human-rct": "Randomised controlled trial in humans",
    "reference-values": "Official reference values or guideline",
    "human-observational": "Observational study in humans",
    "animal": "Animal study",
    "in-vitro": "Cell or laboratory study",
    "narrative-review": "Narrative review",
    "reference-work": "Textbook, official reference review or consensus statement",
    "case-report": "Case report or case series",
}
# Designs a systematic review may have pooled (it starts where they start).
POOLED_DESIGNS = ("human-rct", "human-observational", "animal", "in-vitro")

# Where certainty starts: design → level for each kind of question (QUESTIONS order).
_Q = tuple(QUESTIONS)
START = {
    design: dict(zip(_Q, levels, strict=True))
    for design, levels in {
        # effect, association, prevalence, mechanism, reference-values, fact, test-accuracy.
        # Test accuracy as GRADE grades it: accuracy studies (cross-sectional or cohort) start
        # high; an expert statement without an accuracy study starts low.
        "human-rct": ("high", "high", "high", "high", "high", "moderate", "high"),
        "human-observational": ("low", "low", "high", "low", "low", "moderate", "high"),
        "animal": ("low", "low", "low", "moderate", "low", "moderate", "very-low"),
        "in-vitro": ("low", "low", "low", "moderate", "low", "moderate", "very-low"),
        "reference-values": ("low", "low", "high", "high", "high", "high", "low"),
        "narrative-review": ("very-low",) * 5 + ("low", "very-low"),
        "reference-work": ("low", "low", "moderate", "high", "high", "high", "low"),
        "case-report": ("very-low",) * 7,  # one patient's story: no comparison, no rate
    }.items()
}
# A systematic review starts where the studies it pooled start.

# How directly a study answers the claim: each indirect dimension is one step down (GRADE's
# indirectness), at most MAX_INDIRECT_STEPS per study. Derived from `directness`, never entered.
DIRECTNESS = ("population", "compound", "outcome")
DIRECTNESS_VALUES = ("direct", "indirect")
MAX_INDIRECT_STEPS = 2
# Dimension → (step reason, what it means); an animal or cell study's population step is
# "animals-or-cells".
INDIRECTNESS = {
    "population": ("other-population", "The study was in people unlike those the claim is "
                   "about."),
    "compound": ("other-compound", "The study used another form of the compound, another "
                 "compound, or a mixture."),
    "outcome": ("surrogate-outcome", "The study measured a marker, not the outcome the claim "
                "is about."),
}
ANIMALS_OR_CELLS = "animals-or-cells"
ANIMAL_DESIGNS = ("animal", "in-vitro")

# Step reason → (GRADE domain, what it means). The first four are derived from the studies'
# `directness`; only the others may be entered under `downgrades`.
DOWNGRADES = {
    "other-compound": ("Indirectness", INDIRECTNESS["compound"][1]),
    "animals-or-cells": ("Indirectness", "The study was in animals or cells, not people."),
    "surrogate-outcome": ("Indirectness", INDIRECTNESS["outcome"][1]),
    "other-population": ("Indirectness", INDIRECTNESS["population"][1]),
    "risk-of-bias": ("Risk of bias", "Flaws in design or conduct beyond what the design's "
                     "starting level already reflects."),
    "imprecision": ("Imprecision", "Few participants or events, or wide confidence "
                    "intervals."),
    "inconsistency": ("Inconsistency", "Studies disagree without explanation."),
    "publication-bias": ("Publication bias", "Signs that studies are missing."),
}
DERIVED_DOWNGRADES = ("other-compound", "animals-or-cells", "surrogate-outcome",
                      "other-population")
ENTERED_DOWNGRADES = tuple(r for r in DOWNGRADES if r not in DERIVED_DOWNGRADES)


def verdict_meaning(verdict: str, certainty: str, accuracy: bool = False) -> str:
    """What a verdict means on a card; where no study bears on the claim, said so.
    accuracy: the card is a statement of fact or about the evidence (ACCURACY_VERDICTS)."""
    if accuracy:
        return ACCURACY_MEANING[verdict]
    if certainty == NO_STUDIES:
        return VERDICT_WITHOUT_STUDIES.get(verdict, VERDICT_MEANING[verdict])
    return VERDICT_MEANING[verdict]


# A claim on which no study bears: a claim that evidence is missing is right (supported),
# any other claim has nothing behind it.
VERDICT_WITHOUT_STUDIES = {
    "supported": "The claim says that the evidence is missing, and it is: no study has "
    "looked at this.",
    "not-supported": "No study has looked at this, so nothing backs the claim.",
}

# How a claim page says how directly a study answers the claim.
DIRECTNESS_LABELS = {"direct": "Answers the claim directly",
                     "indirect": "Answers the claim only indirectly"}
# An indirect dimension, as a reader reads it (animal and cell studies: "animals or cells").
INDIRECT_LABELS = {"population": "other people than the claim is about",
                   "compound": "another compound",
                   "outcome": "a marker, not the outcome claimed",
                   ANIMALS_OR_CELLS: "animals or cells, not people"}
BACKGROUND_INTRO = ("These sources inform the verdict but do not measure what the claim is "
                    "about, so they do not count toward the certainty.")
NO_STUDIES_DERIVATION = "No study bears on this claim, so there is nothing to grade."

# Words about how the audit was made, not about the evidence: never in published text (the
# one list; `evidence check` refuses them in every published field and in the bibliography).
# "seed" only in the singular: "pumpkin seeds" is a food.
INTERNAL_WORDS = (
    r"corpus", r"stored pages?", r"stored cop(?:y|ies)", r"seed", r"search tool",
    r"find_string", r"read_file", r"\d{3}_[0-9a-f]{16}(?:\.\w+)?",
)
INTERNAL_TEXT = re.compile(r"\b(?:" + "|".join(INTERNAL_WORDS) + r")\b", re.IGNORECASE)
# A part of every match, case-folded as IGNORECASE matches ("ſeed" is "seed"): most text
# holds none, and `in` is ten times faster than the search (a fifth of `evidence check`).
_INTERNAL_PARTS = ("corpus", "stored", "seed", "search tool", "_")
INTERNAL_HINT = ("say where it looked (archived copies of PubMed, PMC and publisher pages), "
                 "with which terms and up to when")


def internal_word(text: str) -> str | None:
    """The first word about how the audit was made in text, or None."""
    folded = text.casefold()
    if not any(part in folded for part in _INTERNAL_PARTS):
        return None
    found = INTERNAL_TEXT.search(text)
    return found.group(0) if found else None
