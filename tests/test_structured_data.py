"""Claim pages carry one schema.org ClaimReview and one MedicalWebPage as JSON-LD."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import load_evidence
from generator.cli.build import build_site
from generator.core import vocab
from generator.outputs.jsonld import claim_page_data, script_json
from tests.conftest import make_project

SITE_URL = "https://magnesium-evidence.github.io/hair-claims/"
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    project = make_project(tmp_path_factory.mktemp("ld") / "project")
    return project, build_site(project, project / "site", with_pdf=False)


def graph(html: str) -> dict[str, dict]:
    scripts = LD.findall(html)
    assert len(scripts) == 1, f"expected one JSON-LD script, found {len(scripts)}"
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    types = [node["@type"] for node in data["@graph"]]
    assert sorted(types) == ["ClaimReview", "MedicalWebPage"]
    return {node["@type"]: node for node in data["@graph"]}


def test_every_claim_page_has_its_claim_review(built: tuple[Path, Path]) -> None:
    project, site = built
    evidence, _ = load_evidence(project)
    assert evidence.cards
    for card in evidence.cards:
        nodes = graph((site / card.url / "index.html").read_text(encoding="utf-8"))
        review, page = nodes["ClaimReview"], nodes["MedicalWebPage"]
        url = SITE_URL + card.url
        assert review["url"] == url and page["url"] == url
        assert review["claimReviewed"] == card.claim
        assert review["datePublished"] == card.reviewed.isoformat()
        assert review["author"] == {"@type": "Organization",
                                    "name": "Magnesium & Hair Loss — Evidence Audit",
                                    "url": SITE_URL}
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == vocab.VERDICTS[card.verdict]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        expected = [evidence.source(a.source) for a in card.appearances]
        assert [w.get("url") for w in item["appearance"]] == [s.url for s in expected]
        assert [w["headline"] for w in item["appearance"]] == [s.title for s in expected]
        assert page["lastReviewed"] == card.reviewed.isoformat()
        assert page["mainEntity"] == {"@id": review["@id"]}


def test_ratings_order_the_verdicts(built: tuple[Path, Path]) -> None:
    project, _ = built
    evidence, _ = load_evidence(project)
    card = evidence.cards[0]
    values = []
    for verdict in ("contradicted", "not-supported", "partly-supported", "supported"):
        data = claim_page_data(evidence, dataclasses.replace(card, verdict=verdict),
                               SITE_URL, "S", SITE_URL)
        values.append(data["@graph"][1]["reviewRating"]["ratingValue"])
    assert values == sorted(values) and len(set(values)) == 4


def test_other_pages_have_no_claim_review(built: tuple[Path, Path]) -> None:
    _, site = built
    for page in ("index.html", "forms/magnesium-l-threonate/index.html",
                 "articles/mgt-effective-treatment/index.html", "references/index.html"):
        assert not LD.search((site / page).read_text(encoding="utf-8")), page


def test_no_text_can_close_the_script_element() -> None:
    hostile = {"claimReviewed": "</script><script>alert(1)</script><!-- & \u2028 x"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == hostile


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                     lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}


@given(_JSON | st.text(alphabet="<>&\u2028\u2029\\u0\"x"))
def test_script_json_escapes_each_character_on_its_own(data: object) -> None:
    """Whatever the text, script_json is the JSON with each of <, >, &, U+2028 and U+2029
    as its \\u escape, and reads back as the same data."""
    plain = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = script_json(data)
    assert text == "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in plain)
    assert json.loads(text) == data
