"""The one order of claims, everywhere (pages, tables, handouts): by group (vocab.GROUPS:
claims that the form affects the main outcome first), then by verdict (in the order of
vocab.VERDICTS), then by certainty (best first), then by claim. A form's claims are numbered
in this order on its page and on its handout."""

from __future__ import annotations

from collections.abc import Iterable

from . import vocab
from .model import Card


def claim_key(card: Card) -> tuple[int, int, int, str, str]:
    verdicts, groups = list(vocab.VERDICTS), list(vocab.GROUPS)
    return (groups.index(card.group), verdicts.index(card.verdict),
            vocab.CERTAINTIES.index(card.certainty), card.claim.lower(), card.id)


def claim_order(cards: Iterable[Card]) -> list[Card]:
    """The cards in the site's one order."""
    return sorted(cards, key=claim_key)

