"""The reference part of a new site's content/README.md (`evidence init`), made from the field
specs and the vocabulary, so that it describes every field and the grading rule as this
version of the generator checks them."""

from __future__ import annotations

from generator.core import schema, vocab


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _kind(spec: schema.Field) -> str:
    if spec.kind == "enum":
        return " \\| ".join(f"`{c}`" for c in spec.choices)
    words = {"text": "text", "slug": "id", "key": "bib key", "date": "date", "url": "address",
             "int": "number", "bool": "true or false", "texts": "list of texts",
             "object": "mapping", "objects": "list"}
    return words.get(spec.kind, spec.kind) + (" or null" if spec.nullable else "")


def field_table(spec: tuple[schema.Field, ...]) -> str:
    """Every field (nested ones under their parent) with whether it is needed and its help."""
    rows = ["| field | value | needed | what it is |", "|---|---|---|---|"]

    def add(fields: tuple[schema.Field, ...], parent: str) -> None:
        for f in fields:
            name = f"`{f.name}`" + (f" (in {parent})" if parent else "")
            needed = "yes" if f.required else "optional"
            rows.append(f"| {name} | {_kind(f)} | {needed} | {_cell(f.help)} |")
            if f.items:
                add(f.items, f"`{f.name}`" if not parent else f"{parent} → `{f.name}`")

    add(spec, "")
    return "\n".join(rows)


def groups_table(outcome: str) -> str:
    rows = ["| group | heading readers see | what belongs there |", "|---|---|---|"]
    for key, heading in vocab.GROUPS.items():
        default = " (default)" if key == vocab.DEFAULT_GROUP else ""
        rows.append(f"| `{key}`{default} | {_cell(heading.format(outcome=outcome))} | "
                    f"{_cell(vocab.GROUP_MEANING[key].format(outcome=outcome))} |")
    return "\n".join(rows)


def questions_list() -> str:
    return "\n".join(f"- `{key}` ({label}): {what}"
                     for key, (label, what) in vocab.QUESTIONS.items())


def start_table() -> str:
    """Where a study's certainty starts: design × question (vocab.START)."""
    head = "| design | " + " | ".join(vocab.QUESTIONS) + " |"
    rows = [head, "|---" * (len(vocab.QUESTIONS) + 1) + "|"]
    for design, starts in vocab.START.items():
        rows.append(f"| `{design}` ({vocab.DESIGN_LABELS[design]}) | "
                    + " | ".join(starts[q] for q in vocab.QUESTIONS) + " |")
    return "\n".join(rows)


def vocabulary_list(names: dict[str, str]) -> str:
    return "\n".join(f"- `{key}`: {meaning}" for key, meaning in names.items())


def guide_values(outcome: str) -> dict[str, str]:
    """Placeholder → text, for generator/scaffold/content/README.md."""
    return {
        "@@FORM_FIELDS@@": field_table(schema.FORM),
        "@@SOURCE_FIELDS@@": field_table(schema.SOURCE),
        "@@CARD_FIELDS@@": field_table(schema.CARD),
        "@@GROUPS@@": groups_table(outcome),
        "@@QUESTIONS@@": questions_list(),
        "@@START@@": start_table(),
        "@@VERDICTS@@": "\n".join(
            f"- `{key}`: “{label}” ({vocab.VERDICT_MEANING[key]}) or, for cards of group "
            f"`evidence` and questions `fact` and `test-accuracy`, "
            f"“{vocab.ACCURACY_VERDICTS[key]}” ({vocab.ACCURACY_MEANING[key]})"
            for key, label in vocab.VERDICTS.items()),
        "@@DOWNGRADES@@": vocabulary_list({r: vocab.DOWNGRADES[r][1]
                                           for r in vocab.ENTERED_DOWNGRADES}),
        "@@CITATION_CHECKS@@": vocabulary_list(vocab.CITATION_MEANING),
        "@@DESIGNS@@": vocabulary_list(vocab.DESIGN_LABELS),
    }
