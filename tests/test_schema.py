"""The committed JSON Schemas: generated from the field specs, and true of every real file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.cli.schema import REGENERATE, SCHEMA_DIR
from generator.outputs.schemas import schema_files
from tests.conftest import ROOT, evidence_cli


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: dates stay text (YAML 1.2)."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_equal_the_generated_ones() -> None:
    for name, text in schema_files().items():
        path = ROOT / SCHEMA_DIR / name
        committed = path.read_text(encoding="utf-8") if path.is_file() else "(missing)"
        assert committed == text, (f"{SCHEMA_DIR}/{name} differs from the field specs in "
                                   f"generator/core/schema.py; run {REGENERATE} and commit it")


@pytest.mark.parametrize(("folder", "name"), [("cards", "card.schema.json"),
                                              ("forms", "form.schema.json"),
                                              ("sources", "source.schema.json")])
def test_every_real_file_is_valid_against_its_schema(folder: str, name: str) -> None:
    check = validator(name)
    files = sorted((ROOT / "content" / folder).glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in check.iter_errors(data)]
        assert errors == [], f"{path.relative_to(ROOT)}: {errors}"


def test_the_schema_rejects_what_the_checker_rejects() -> None:
    check = validator("card.schema.json")
    card = yaml.load((ROOT / "content/cards/mgt-fphl-trial.yaml").read_text(),
                     Loader=_EditorLoader)
    assert not list(check.iter_errors(card))
    for change in ({"verdict": "partly"}, {"colour": "red"}, {"id": "Not A Slug"},
                   {"reviewed": "21.11.2026"}, {"appearances": []}):
        bad = {**card, **change}
        assert list(check.iter_errors(bad)), change
    missing = {k: v for k, v in card.items() if k != "claim"}
    assert [e.message for e in check.iter_errors(missing)] == ["'claim' is a required property"]


def test_cards_point_editors_at_the_committed_schema() -> None:
    first = (ROOT / "content/cards/mgt-fphl-trial.yaml").read_text().splitlines()[0]
    target = first.split("$schema=", 1)[1]
    assert (ROOT / "content/cards" / target).resolve() == ROOT / SCHEMA_DIR / "card.schema.json"


def test_evidence_schema_writes_and_checks(tmp_path: Path) -> None:
    result = evidence_cli("--root", str(tmp_path), "schema", "--check", cwd=ROOT)
    assert result.returncode == 1
    assert f"{SCHEMA_DIR}/card.schema.json: out of date; run {REGENERATE}" in result.stderr
    assert "run `evidence schema`" in result.stderr
    result = evidence_cli("--root", str(tmp_path), "schema", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "schema/card.schema.json (updated)" in result.stdout
    for name, text in schema_files().items():
        assert (tmp_path / SCHEMA_DIR / name).read_text(encoding="utf-8") == text
    assert evidence_cli("--root", str(tmp_path), "schema", "--check", cwd=ROOT).returncode == 0
    assert evidence_cli("schema", "--check", cwd=ROOT).returncode == 0  # the committed ones
