"""Is a PMID plausible for its entry's year? PMIDs are issued in rising order, so each year has
an approximate range (rule B2 of core/checks.py)."""

from __future__ import annotations

# Approximate first PMID issued in each year, from well-known anchors (PMID 10,000,000 in
# mid-1999, 20,000,000 in late 2009, 30,000,000 in mid-2018, 40,000,000 in spring 2025) and
# checked against every PMID in content/references.bib (tests/test_checks.py). Before 1997
# PMIDs were not issued in date order, so older entries are not checked.
PMID_FIRST_OF_YEAR = {
    1997: 9_000_000, 1998: 9_440_000, 1999: 9_920_000, 2000: 10_630_000,
    2001: 11_140_000, 2002: 11_780_000, 2003: 12_500_000, 2004: 14_700_000,
    2005: 15_620_000, 2006: 16_390_000, 2007: 17_200_000, 2008: 18_170_000,
    2009: 19_120_000, 2010: 20_050_000, 2011: 21_190_000, 2012: 22_210_000,
    2013: 23_290_000, 2014: 24_380_000, 2015: 25_560_000, 2016: 26_720_000,
    2017: 28_030_000, 2018: 29_290_000, 2019: 30_610_000, 2020: 31_900_000,
    2021: 33_400_000, 2022: 34_980_000, 2023: 36_600_000, 2024: 38_170_000,
    2025: 39_760_000,
}
PMID_TOLERANCE_YEARS = 2
_FIRST_YEAR, _LAST_YEAR = min(PMID_FIRST_OF_YEAR), max(PMID_FIRST_OF_YEAR)
_PER_YEAR = PMID_FIRST_OF_YEAR[_LAST_YEAR] - PMID_FIRST_OF_YEAR[_LAST_YEAR - 1]


def pmid_first(year: int) -> int:
    """Approximate first PMID issued in a year (extrapolated after the table)."""
    if year > _LAST_YEAR:
        return PMID_FIRST_OF_YEAR[_LAST_YEAR] + (year - _LAST_YEAR) * _PER_YEAR
    return PMID_FIRST_OF_YEAR[max(year, _FIRST_YEAR)]


def pmid_issued_around(pmid: int) -> int:
    """The year a PMID was issued, approximately (only meaningful from 1997 on)."""
    year = _FIRST_YEAR
    while pmid_first(year + 1) <= pmid:
        year += 1
    return year


def pmid_year_problem(pmid: int, year: int) -> tuple[str, bool] | None:
    """(message, is_warning) when a PMID is implausible for a study's year; else None."""
    if year < _FIRST_YEAR:
        return None
    tol = PMID_TOLERANCE_YEARS
    if pmid < pmid_first(year - tol):
        when = (f"around {pmid_issued_around(pmid)}" if pmid >= pmid_first(_FIRST_YEAR)
                else f"before {_FIRST_YEAR}")
        return (f"PMID {pmid} was issued {when}, more than {tol} years before the entry's "
                f"year {year}", False)
    if pmid >= pmid_first(year + tol + 1):
        return (f"PMID {pmid} was issued around {pmid_issued_around(pmid)}, more than {tol} "
                f"years after the entry's year {year}", True)
    return None
