"""Counts in words: "1 problem", "2 problems", never "2 problem(s)"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str = "") -> str:
    """n and the noun, singular for 1 (plural: the noun with -s unless given)."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"
