"""The controlled vocabulary: every enumerated value, with its label and meaning."""

from __future__ import annotations

CERTAINTIES = ("high", "moderate", "low", "very-low")  # best first

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
}
# GRADE's definitions, in the plain words used by GRADE summary-of-findings tables.
CERTAINTY_MEANING = {
    "high": "We are very confident that the true effect lies close to what the studies found.",
    "moderate": "We are moderately confident: the true effect is probably close to what the "
    "studies found, but it may be substantially different.",
    "low": "Our confidence is limited: the true effect may be substantially different from "
    "what the studies found.",
    "very-low": "We are very uncertain: the true effect is likely to be substantially "
    "different from what the studies found.",
}
CERTAINTY_LEAD = {
    "high": "We are confident in this evidence.",
    "moderate": "The evidence is probably right.",
    "low": "The evidence may be wrong.",
    "very-low": "We are very uncertain about this evidence.",
}

# Study design → (label, certainty it starts at).
DESIGNS = {
    "systematic-review": ("Systematic review or meta-analysis", "high"),
    "human-rct": ("Randomised controlled trial in humans", "high"),
    "reference-values": ("Official reference values or guideline", "high"),
    "human-observational": ("Observational study in humans", "low"),
    "animal": ("Animal study", "low"),
    "in-vitro": ("Cell or laboratory study", "low"),
    "narrative-review": ("Narrative review", "very-low"),
}
# Designs whose evidence is indirect by nature: this downgrade applies automatically.
AUTO_DOWNGRADE = {"animal": "animals-or-cells", "in-vitro": "animals-or-cells"}

# Downgrade reason → (GRADE domain, what it means).
DOWNGRADES = {
    "other-compound": ("Indirectness", "The studies used another magnesium salt, "
                       "another compound, or a mixture."),
    "animals-or-cells": ("Indirectness", "The best evidence comes from animals or cells."),
    "surrogate-outcome": ("Indirectness", "The studies measured a marker, not the outcome "
                          "the claim is about."),
    "other-population": ("Indirectness", "The studies were in people unlike those the "
                         "claim is about."),
    "risk-of-bias": ("Risk of bias", "Flaws in design or conduct, or a review of "
                     "observational studies."),
    "imprecision": ("Imprecision", "Few participants or events, or wide confidence "
                    "intervals."),
    "inconsistency": ("Inconsistency", "Studies disagree without explanation."),
    "publication-bias": ("Publication bias", "Signs that studies are missing."),
}
NO_EVIDENCE = "no-evidence"
