"""schema.org structured data for a claim page: one ClaimReview and one MedicalWebPage.

Pure: the model in, a dict out; `script_json` serialises it so that no text can close the
<script type="application/ld+json"> element it is placed in.
"""

from __future__ import annotations

import json
from typing import Any

from generator.core.model import Card, Evidence

# Verdicts as a rating, worst (1) to best (4): ClaimReview wants a number beside the label.
RATING = {"contradicted": 1, "not-supported": 2, "partly-supported": 3, "supported": 4}
# No replacement holds a character replaced here, so their order does not matter.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def claim_page_data(ev: Evidence, card: Card, page_url: str, site_name: str,
                    site_url: str) -> dict[str, Any]:
    """JSON-LD (@graph) for one claim page: the page, and the review of the claim on it."""
    site = {"@type": "Organization", "name": site_name, "url": site_url}
    verdict = card.verdict_label
    appearances = []
    for a in card.appearances:
        source = ev.source(a.source)
        work: dict[str, Any] = {"@type": "CreativeWork", "headline": source.title,
                                "publisher": {"@type": "Organization", "name": source.site}}
        if source.url:
            work["url"] = source.url
        if source.date_stated:
            work["datePublished"] = source.date_stated.isoformat()
        appearances.append(work)
    review = {
        "@type": "ClaimReview",
        "@id": f"{page_url}#claimreview",
        "url": page_url,
        "claimReviewed": card.claim,
        "datePublished": card.reviewed.isoformat(),
        "author": site,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING[card.verdict],
            "bestRating": max(RATING.values()),
            "worstRating": min(RATING.values()),
            "alternateName": verdict,
            "ratingExplanation": card.verdict_summary,
        },
        "itemReviewed": {"@type": "Claim", "appearance": appearances},
    }
    page = {
        "@type": "MedicalWebPage",
        "@id": f"{page_url}#webpage",
        "url": page_url,
        "name": card.claim,
        "lastReviewed": card.reviewed.isoformat(),
        "reviewedBy": {"@type": "Organization", "name": card.reviewer},
        "publisher": site,
        "mainEntity": {"@id": review["@id"]},
    }
    return {"@context": "https://schema.org", "@graph": [page, review]}


def script_json(data: Any) -> str:
    """JSON for inside <script>: `<`, `>`, `&` (and JS line separators) as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for old, new in _SCRIPT_ESCAPES:  # str.replace: str.translate is ~30x slower here
        if old in text:
            text = text.replace(old, new)
    return text
