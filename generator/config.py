"""The one configuration: the `evidence` plugin's entry in mkdocs.yml and the site settings the
generator needs, read the same way by the MkDocs plugin and by the CLI (`settings_from`).

    plugins:
      - evidence:
          content_dir: content                  # forms/, sources/, cards/, references.bib
          templates_dir: site_overrides/templates  # templates that override the packaged ones
          handouts: true                        # PDF handouts in the site
          disclaimer: true                      # the disclaimer at the end of every page
          topic: vitamin D and fatigue          # and the other texts of `Texts` (README)

The CLI reads mkdocs.yml with MkDocs' own YAML loader (`read_settings`), so that `INHERIT`
and `!ENV` mean what they mean to MkDocs, without running an engine (check, export, pdf and
diff work under any engine); a mkdocs.yml that is not YAML is an error at its line under
every command, never a silent fall back to the defaults.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from generator.core.load import CONTENT_DIR

CONFIG_FILE = "mkdocs.yml"
TEMPLATES_DIR = "site_overrides/templates"
PLUGIN = "evidence"


@dataclass(frozen=True)
class Texts:
    """What the site is about: every topic-specific text of pages and handouts. Each is a
    plain-text option of the `evidence` plugin; the defaults are neutral."""

    topic: str = "the claims checked here"
    """What the site audits, in a sentence ("vitamin D and fatigue"); the home page's heading
    and the handouts' series line use it with a capital."""
    outcome: str = "the main outcome"
    """The main outcome, as in "claims about its effect on fatigue" (cards of group outcome)."""
    condition: str = ""
    """What readers should ask a doctor or pharmacist about ("fatigue"); none if empty."""
    answer: str = ""
    """The answer to the site's question in a few words, for the home page's <title> and
    description ("no study shows that vitamin D helps with fatigue"); none if empty."""
    claims_summary: str = ""
    """The home page's first sentence: what articles claim (default: from the topic)."""
    handout_title: str = ""
    """Title of the all-forms handout (default: the topic, with a capital)."""
    forms_noun: str = "supplement forms"
    """What the forms are, counted: "What the studies say about 3 kinds of vitamin D"."""
    form_noun: str = ""
    """One form, counted: "1 kind of vitamin D" (default: forms_noun without its final s)."""
    other_compound: str = "another form of the compound"
    """A study's compound step down: "The study used <this>, another compound, or a mixture"."""
    example_question: str = "Does this supplement help?"
    """The example of a reader's question on the methodology page."""
    worked_example: str = ""
    """A card id: the methodology page's worked example of grading (none if empty)."""
    example_compound: str = "the compound"
    """What the worked example's claim would have tested in people."""
    authority: str = ""
    """The authoritative source for reference values and safety, named after "see the"."""
    authority_url: str = ""
    """Its address (http or https)."""
    sources_heading: str = "Authoritative sources"
    """The methodology page's heading over sources_note."""
    sources_note: str = ("For reference values and safety we cite the authoritative sources "
                         "themselves, with the year of the values.")
    """The methodology page's note on authoritative sources."""

    @property
    def title(self) -> str:
        return self.topic[:1].upper() + self.topic[1:]

    @property
    def outcome_title(self) -> str:
        return self.outcome[:1].upper() + self.outcome[1:]

    def forms_counted(self, n: int) -> str:
        """ "1 supplement form", "3 supplement forms"."""
        singular = self.form_noun or (self.forms_noun[:-1] if self.forms_noun.endswith("s")
                                      else self.forms_noun)
        return f"{n} {singular}" if n == 1 else f"{n} {self.forms_noun}"

    @property
    def ask(self) -> str:
        """ "ask a doctor or pharmacist about …" (no full stop)."""
        return "ask a doctor or pharmacist" + (f" about {self.condition}"
                                               if self.condition else "")

    @property
    def summary(self) -> str:
        return self.claims_summary or f"Articles on the web make claims about {self.topic}."


@dataclass(frozen=True)
class Settings:
    content_dir: str = CONTENT_DIR
    """Folder with forms/, sources/, cards/ and references.bib, relative to mkdocs.yml."""
    templates_dir: str = TEMPLATES_DIR
    """Folder whose page templates override the packaged ones."""
    handouts: bool = True
    """PDF handouts (handouts/<form>.pdf, A4, and handouts/us-letter/<form>.pdf)."""
    disclaimer: bool = True
    """The disclaimer at the end of every page (off where the theme's templates show one)."""
    review_after_months: int = 12
    """Months after which a card's literature search (searched_to) is due for an update."""
    texts: Texts = Texts()
    """The topic's texts (the options of Texts, given flat in the plugin's entry)."""
    site_dir: str = "site"
    site_url: str = ""
    site_name: str = ""
    repo_url: str = ""
    edit_uri: str = ""
    docs_dir: str = "docs"

    @property
    def edit_root(self) -> str:
        """The address that opens a file of the repository for editing, by its path from the
        project root ("" without repo_url or edit_uri). edit_uri points at docs_dir (as MkDocs
        wants it: `edit/main/docs/`); the root is edit_uri without that folder."""
        if not (self.repo_url and self.edit_uri):
            return ""
        uri = self.edit_uri.strip("/")
        docs = self.docs_dir.strip("/")
        if uri == docs or uri.endswith("/" + docs):
            uri = uri[: -len(docs)].rstrip("/")
        return self.repo_url.rstrip("/") + "/" + (uri + "/" if uri else "")


TEXT_OPTIONS = tuple(f.name for f in fields(Texts))
# the plugin's own options
OPTIONS = ("content_dir", "templates_dir", "handouts", "disclaimer", "review_after_months",
           *TEXT_OPTIONS)


class SettingsError(ValueError):
    """mkdocs.yml gives a setting of the wrong type (a one-line message naming it)."""


def settings_from(options: Mapping[str, Any], site: Mapping[str, Any]) -> Settings:
    """Settings from the plugin's options and the site's (site_dir, site_url, site_name)."""
    values = _values(fields(Settings), options, site)
    if "authority_url" in options and options["authority_url"] and not str(
            options["authority_url"]).startswith(("http://", "https://")):
        raise SettingsError(f"{CONFIG_FILE}: plugins: {PLUGIN}: authority_url: expected an "
                            f"http(s) address, got {options['authority_url']!r}")
    return Settings(**values, texts=Texts(**_values(fields(Texts), options, {})))


def _values(specs: Any, options: Mapping[str, Any], site: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in specs:
        if f.name == "texts":
            continue
        source = options if f.name in OPTIONS else site
        value = source.get(f.name)
        if value is None:
            continue
        kind = {"bool": bool, "int": int}.get(f.type, str)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            where = f"plugins: {PLUGIN}: {f.name}" if f.name in OPTIONS else f.name
            raise SettingsError(f"{CONFIG_FILE}: {where}: expected {kind.__name__}, "
                                f"got {value!r}")
        values[f.name] = value
    return values


def build_day() -> dt.date:
    """The day a build or check is made as of: SOURCE_DATE_EPOCH's (reproducible builds)
    when set, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def read_settings(root: Path) -> Settings:
    """The settings of the project at root (defaults where mkdocs.yml says nothing)."""
    config = read_mkdocs_yml(root)
    options: Any = {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN in entry:
            options = entry[PLUGIN] or {}
    if not isinstance(options, dict):
        raise SettingsError(f"{CONFIG_FILE}: plugins: {PLUGIN}: expected options, "
                            f"got {options!r}")
    return settings_from(options, config)


def read_mkdocs_yml(root: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it: INHERIT merged in, !ENV resolved (MkDocs' own loader);
    tags MkDocs leaves to Python (!!python/name) give None. {} if there is none; SettingsError
    naming the file and line where it, or a file it inherits, cannot be read."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return {}
    try:
        path.read_bytes().decode("utf-8")
        with path.open("rb") as stream:
            return _load(stream, root)
    except UnicodeDecodeError as exc:
        raise SettingsError(f"{CONFIG_FILE}:1:1: -: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise SettingsError(f"{CONFIG_FILE}:1:1: -: cannot be read: {exc.strerror}") from None


def parse_mkdocs_yml(text: str, name: str) -> dict[str, Any]:
    """The settings in a mkdocs.yml's text, read as read_mkdocs_yml reads the file (without
    INHERIT); SettingsError, "name:line:column: -: …", where it is not YAML or not a mapping."""
    return _load(text, None, name)


def _load(source: Any, root: Path | None, name: str = CONFIG_FILE) -> dict[str, Any]:
    """MkDocs' yaml_load on a safe loader, its failures as one-line SettingsErrors."""
    import yaml
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    class Safe(yaml.SafeLoader):  # what MkDocs would build as Python objects gives None
        pass

    Safe.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        config = yaml_load(source, get_yaml_loader(Safe))
    except ConfigurationError as exc:
        cause = exc.__context__
        if isinstance(cause, yaml.MarkedYAMLError):
            mark = cause.problem_mark or cause.context_mark
            where = f"{mark.line + 1}:{mark.column + 1}" if mark else "1:1"
            file = _shown(mark.name, root) if mark and root else name
            raise SettingsError(f"{file}:{where}: -: not valid YAML: "
                                f"{cause.problem or cause.context}") from None
        if isinstance(cause, yaml.YAMLError):
            raise SettingsError(f"{name}:1:1: -: not valid YAML ({cause})") from None
        raise SettingsError(f"{name}:1:1: -: {exc}") from None
    except RecursionError:
        raise SettingsError(f"{name}:1:1: -: not valid YAML (or nested too deep)") from None
    except (TypeError, AttributeError):  # MkDocs looks for INHERIT in what is not a mapping
        config = None
    if not isinstance(config, dict):
        raise SettingsError(f"{name}:1:1: -: expected settings (key: value), "
                            f"got {type(config).__name__}")
    return config


def _shown(file: str, root: Path) -> str:
    """A config file's name as the user knows it: from the project's root."""
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return file
