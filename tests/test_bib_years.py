"""A paper published online one year and in print the next shows both years."""

from __future__ import annotations

from generator.core.bib import load_bib
from tests.conftest import format_reference

ENTRY = """@article{talebi2022effect,
  author  = {Talebi, S. and Mohammadi, H.},
  title   = {Oral Magnesium and Inflammatory Biomarkers},
  journal = {Biological Trace Element Research},
  year    = {2022},
  year_online = {2021},
  doi     = {10.1007/s12011-021-02783-2}
}
"""


def test_online_and_print_years_are_both_shown() -> None:
    refs, problems = load_bib(ENTRY, "references.bib")
    assert problems == []
    ref = refs["talebi2022effect"]
    assert "Published online 2021; in print 2022." in format_reference(ref, as_html=False)
    assert "Published online 2021; in print 2022." in format_reference(ref, as_html=True)
    assert ref.year == 2022  # the export keeps the print year


def test_an_entry_with_a_volume_adds_the_online_year() -> None:
    refs, _ = load_bib(ENTRY.replace("  year_online", "  volume  = {200},\n  year_online"),
                       "references.bib")
    text = format_reference(refs["talebi2022effect"], as_html=False)
    assert "2022;200" in text and text.endswith("Published online 2021.")
