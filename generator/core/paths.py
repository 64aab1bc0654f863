"""Where the site puts what it makes: the one place that decides the paths of generated pages
and handouts, and so which ids a form, article or card may not take (reserved_ids)."""

from __future__ import annotations

from types import SimpleNamespace

from generator.core.model import Evidence

ALL_FORMS = "all-forms"  # file name (without .pdf) of the handout covering every form
HANDOUT_FOLDERS = {"a4": "handouts", "us-letter": "handouts/us-letter"}  # by paper


def page_paths(ev: Evidence) -> dict[str, str]:
    """Each generated page's source path (relative to docs) → a short description."""
    paths = {"index.md": "home", "forms/index.md": "forms", "articles/index.md": "articles",
             "claims/index.md": "claims", "references.md": "references",
             "methodology.md": "methodology"}
    paths.update({f"forms/{f.id}.md": "form" for f in ev.forms})
    paths.update({f"articles/{s.id}.md": "article" for s in ev.sources})
    paths.update({f"claims/{c.id}.md": "claim" for c in ev.cards})
    return paths


def handout_names(ev: Evidence) -> list[str]:
    """File names of the handouts of one paper size: <form id>.pdf, all-forms.pdf."""
    return [f"{f.id}.pdf" for f in ev.forms] + [f"{ALL_FORMS}.pdf"]


def handout_paths(ev: Evidence) -> list[str]:
    """The site's handouts: handouts/<id>.pdf (A4) and handouts/us-letter/<id>.pdf."""
    return [f"{folder}/{name}" for folder in HANDOUT_FOLDERS.values()
            for name in handout_names(ev)]


def reserved_ids() -> dict[str, dict[str, str]]:
    """Ids that would give a form, article or card the page or file of something the site
    makes itself (forms/index.md, handouts/all-forms.pdf): "forms", "sources" or "cards" →
    {id: that path}. Derived from the functions that decide the site's paths, so that a
    page added there is reserved here too: one probe item of each kind shows each kind's
    path templates (a few µs; read once per content file)."""
    probes = {kind: f"reserved-{kind}-probe" for kind in ("forms", "sources", "cards")}
    none = Evidence(forms=(), sources=(), cards=())
    probed = Evidence(**{kind: (SimpleNamespace(id=probe),)  # type: ignore[arg-type]
                         for kind, probe in probes.items()})
    out: dict[str, dict[str, str]] = {kind: {} for kind in probes}
    for paths_of in (page_paths, handout_paths):
        fixed = set(paths_of(none))
        for template in set(paths_of(probed)) - fixed:
            for kind, probe in probes.items():
                if probe not in template:
                    continue
                prefix, suffix = template.split(probe, 1)
                for path in sorted(fixed):  # a fixed path that an id would make too
                    middle = path[len(prefix):len(path) - len(suffix)]
                    if (path.startswith(prefix) and path.endswith(suffix) and middle
                            and "/" not in middle):
                        out[kind].setdefault(middle, path)  # the first: A4 before US letter
    return out
