"""Topic out of code: what a site is about comes from the `evidence` plugin's options in
mkdocs.yml (generator/config.py: Texts) or from its content, never from the package."""

from __future__ import annotations

import re

import pytest

from generator.config import OPTIONS, SettingsError, Texts, settings_from
from generator.core.load import load_evidence
from generator.core.model import Evidence
from generator.outputs.handouts import handout_data
from generator.outputs.pages import Site, make_env, render_site
from tests.conftest import FIXTURE, ROOT

TOPIC_WORDS = re.compile(r"magnesium|hair|threonate", re.IGNORECASE)


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    loaded, problems = load_evidence(FIXTURE)
    assert problems == []
    return loaded


def test_no_topic_words_in_the_package() -> None:
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for p in sorted((ROOT / "generator").rglob("*")) if p.is_file()
             and p.suffix in {".py", ".j2", ".typ", ".css", ".html", ".yml", ".yaml", ".md"}
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if TOPIC_WORDS.search(line)]
    assert found == []


def test_the_plugin_and_the_cli_know_the_same_options() -> None:
    from generator.engines.mkdocs_plugin import EvidenceConfig

    assert {name for name, _ in EvidenceConfig._schema} == set(OPTIONS)


def test_a_text_option_of_the_wrong_type_is_named() -> None:
    with pytest.raises(SettingsError, match=r"plugins: evidence: topic: expected str"):
        settings_from({"topic": ["x"]}, {})
    with pytest.raises(SettingsError, match=r"authority_url: expected an http\(s\) address"):
        settings_from({"authority_url": "javascript:alert(1)"}, {})


def test_pages_and_handouts_take_their_wording_from_the_options(evidence: Evidence) -> None:
    texts = Texts(topic="vitamin D and fatigue", outcome="fatigue", condition="tiredness",
                  other_compound="another vitamin D compound")
    pages = render_site(evidence, make_env(texts=texts), site=Site(texts=texts))
    assert "# Vitamin D and fatigue: what the evidence says" in pages["index.md"]
    assert "Claims about a supplement’s effect on fatigue come first" in pages["claims/index.md"]
    data = handout_data(evidence, None, "a4", texts=texts)
    assert data["series"] == "Evidence handout · Vitamin D and fatigue"
    assert data["disclaimer"].endswith("Ask a doctor or pharmacist about tiredness.")
    assert "Ask your doctor or pharmacist about tiredness." in data["patient_note"]


def test_neutral_defaults(evidence: Evidence) -> None:
    pages = render_site(evidence)
    home = pages["index.md"]
    assert "# The claims checked here: what the evidence says" in home
    assert not TOPIC_WORDS.search(pages["methodology.md"])


def test_the_readme_lists_every_option_with_its_default() -> None:
    from dataclasses import fields

    from generator.config import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    defaults = {f.name: getattr(Settings, f.name) for f in fields(Settings)}
    defaults.update({f.name: getattr(Texts, f.name) for f in fields(Texts)})
    for name in OPTIONS:
        default = defaults[name]
        shown = "`true`" if default is True else f"`{default}`" if default else "(empty)"
        assert f"| `{name}` | {shown} |" in readme, f"README: option {name} or its default"
