"""Time `evidence check --retractions` on a Retraction Watch CSV of the real file's size:
60,000 synthetic rows of about 1 kB in its columns (about 60 MB, as the real file; DOIs under
the 10.5555 test prefix), matched against
the project's content. `python bench/retractions.py [--rows N]` prints the seconds taken."""

from __future__ import annotations

import argparse
import csv
import io
import time
from pathlib import Path

from generator.core.load import BIB_FILE, load_evidence
from generator.core.retractions import cited_ids, read_notices, retraction_problems

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["Record ID", "Title", "Subject", "Institution", "Journal", "Publisher", "Country",
          "Author", "URLS", "ArticleType", "RetractionDate", "RetractionDOI",
          "RetractionPubMedID", "OriginalPaperDate", "OriginalPaperDOI",
          "OriginalPaperPubMedID", "RetractionNature", "Reason", "Paywalled", "Notes", ""]
NATURES = ("Retraction", "Retraction", "Retraction", "Expression of concern", "Correction")


def synthetic_csv(rows: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(rows):
        writer.writerow([i, f"Synthetic study {i}, a title with a comma", "(BLS) Biology;",
                         "Test Institute, Department of Tests, Some City, Some Country; " * 6,
                         "Synthetic Journal",
                         "Test Publisher", "Nowhere", "Test A;Test B",
                         f"https://example.org/{i}", "Research Article;",
                         f"{i % 12 + 1}/{i % 28 + 1}/20{i % 25:02d} 0:00",
                         f"10.5555/notice.{i}", str(30000000 + i),
                         f"1/1/20{i % 25:02d} 0:00", f"10.5555/paper.{i}",
                         str(20000000 + i) if i % 3 else "0", NATURES[i % len(NATURES)],
                         "+Duplication of Image;+Paper Mill;", "No",
                         "See also: a synthetic note, with a comma and \"quotes\". " * 6, ""])
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    text = synthetic_csv(args.rows)
    evidence, _ = load_evidence(ROOT)
    start = time.perf_counter()
    notices = read_notices(text, "retraction_watch.csv", cited_ids(evidence))
    found = retraction_problems(evidence, notices, f"content/{BIB_FILE}")
    took = time.perf_counter() - start
    print(f"{args.rows} rows ({len(text) / 1e6:.1f} MB): read and matched against "
          f"{len(evidence.references)} references in {took:.2f} s; {len(found)} found")


if __name__ == "__main__":
    main()
