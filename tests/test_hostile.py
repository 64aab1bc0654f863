"""Hostile pull requests and unlucky builds (issue 14): links where the output or the cache
goes, a committed cache, parsers pushed to their limits, text printed to a terminal or a pull
request, and builds that are interrupted. Each case names what a user would see.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import swap as build_module
from generator.cli.build import build_site
from generator.core.bib import load_bib
from generator.core.load import load_evidence
from generator.core.yamlio import load_yaml
from generator.engines import docsfolder
from generator.outputs.opendata import cards_csv
from generator.safepath import SITE_MARK, UnsafePath
from tests.conftest import CARD, ROOT, digest_folder, edit, errors, evidence_cli

BIB = "content/references.bib"


def tree(folder: Path) -> set[str]:
    """Every entry under folder, links included (not followed)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- 1. links where the output or the cache goes ---------------------------------------------

@pytest.mark.parametrize(("link", "args"), [
    ("site", ()),
    ("out", ("--out", "out")),
    ("deep", ("--out", "deep/site")),  # a component of the path, not the last one
    (".cache", ()),
    (".cache/evidence", ()),
])
def test_a_link_where_the_output_or_cache_goes_is_refused(project: Path, tmp_path: Path,
                                                           link: str, args: tuple) -> None:
    victim = tmp_path / "victim"
    (victim / "keep").mkdir(parents=True)
    (victim / "keep" / "file.txt").write_text("precious")
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(victim, target_is_directory=True)
    before, around = tree(victim), tree(tmp_path)
    message = one_line_error(evidence_cli("build", "--no-pdf", *args, cwd=project))
    assert "symbolic link" in message and link in message, message
    assert tree(victim) == before
    assert tree(tmp_path) == around  # nothing created, renamed or deleted anywhere
    assert (victim / "keep" / "file.txt").read_text() == "precious"


def test_a_site_link_to_the_folder_around_the_project_deletes_nothing(project: Path) -> None:
    (project / "site").symlink_to("..", target_is_directory=True)
    before = tree(project.parent)
    one_line_error(evidence_cli("build", "--no-pdf", cwd=project))
    assert tree(project.parent) == before


@pytest.mark.parametrize("link", ["site", ".cache"])
def test_mkdocs_build_refuses_links_too(project: Path, tmp_path: Path, link: str) -> None:
    victim = tmp_path / "victim"
    (victim / "keep").mkdir(parents=True)
    (project / link).symlink_to(victim, target_is_directory=True)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert tree(victim) == {"keep"}


@pytest.mark.parametrize("where", ["docs/leak.txt", "site_overrides/leak.txt",
                                   "docs/assets/folder"])
def test_a_link_out_of_the_project_is_not_published(project: Path, tmp_path: Path,
                                                     where: str) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "key.txt").write_text("secret-key-123")
    target = secret if where.endswith("folder") else secret / "key.txt"
    (project / where).symlink_to(target)
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is a link to a file outside the project" in result.stderr, result.stderr
    assert not (project / "site").exists()


@pytest.mark.parametrize(("where", "target"), [("docs/notes.txt", "../.git/config"),
                                               ("docs/assets/g", "../../.git"),
                                               ("site_overrides/x.txt", "../.cache/k")])
def test_a_link_into_a_hidden_folder_of_the_project_is_not_published(
        project: Path, where: str, target: str) -> None:
    """.git/config may hold a token (actions/checkout keeps one there): a link from docs/
    or site_overrides/ into .git, .cache or any hidden folder is refused like one out."""
    for folder in (".git", ".cache"):
        (project / folder).mkdir(exist_ok=True)
        for name in ("config", "k"):
            (project / folder / name).write_text("token-secret-123")
    (project / where).symlink_to(target)
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(rf"{re.escape(where)}(/config)?: is a link into a hidden folder of the "
                     "project", result.stderr), result.stderr
    assert result.stderr.splitlines()[-1] == "the previous site is unchanged"  # its own line
    assert not (project / "site").exists()


def test_the_docs_writer_refuses_a_link_into_a_hidden_folder(project: Path) -> None:
    (project / ".git").mkdir()
    (project / ".git/config").write_text("token-secret-123")
    (project / "docs/notes.txt").symlink_to("../.git/config")
    with pytest.raises(UnsafePath, match="docs/notes.txt: is a link into a hidden"):
        docsfolder.write_docs({}, project / "docs", project / ".cache/zensical/docs")


@pytest.mark.parametrize(("command", "link"), [
    (("pdf", "--out", "hand"), "hand"),
    (("pdf", "--out", "hand/x"), "hand"),
    (("export", "--out", "hand/x.json"), "hand"),
    (("export", "--out", "x.json"), "x.json"),
    (("schema",), "schema"),
])
def test_other_writers_refuse_links_too(project: Path, tmp_path: Path, command: tuple,
                                        link: str) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    if link.endswith(".json"):
        (project / link).symlink_to(victim / "target.json")
    else:
        (project / link).symlink_to(victim, target_is_directory=True)
    message = one_line_error(evidence_cli(*command, cwd=project))
    assert "symbolic link" in message, message
    assert list(victim.iterdir()) == []


@pytest.mark.parametrize("link", ["site", ".cache", "schema"])
def test_check_reports_a_link_where_the_generator_writes(project: Path, link: str) -> None:
    (project / link).symlink_to("..", target_is_directory=True)
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert f"{link}:1:1: -: is a symbolic link where the generator writes" in result.stdout


def test_an_output_that_is_a_file_is_refused(project: Path) -> None:
    (project / "notes.txt").write_text("mine")
    message = one_line_error(evidence_cli("build", "--no-pdf", "--out", "notes.txt",
                                          cwd=project))
    assert "is a file" in message
    assert (project / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("out", [".", "..", "content"])
def test_the_output_cannot_hold_the_project_or_its_content(project: Path, out: str) -> None:
    before = tree(project.parent)
    message = one_line_error(evidence_cli("build", "--no-pdf", "--out", out, cwd=project))
    assert "output folder" in message, message
    assert tree(project.parent) == before


@pytest.mark.parametrize("site_dir", ["/tmp/elsewhere-i14", "../elsewhere"])
def test_mkdocs_yml_cannot_send_the_site_outside_the_project(project: Path,
                                                             site_dir: str) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + f"\nsite_dir: {site_dir}\n")
    before = tree(project.parent)
    message = one_line_error(evidence_cli("build", "--no-pdf", cwd=project))
    assert "outside the project" in message, message
    assert tree(project.parent) == before and not Path("/tmp/elsewhere-i14").exists()


def test_gitignore_covers_a_link_named_site_or_cache() -> None:
    rules = (ROOT / ".gitignore").read_text().splitlines()
    assert "/site" in rules and "/.cache" in rules  # files and links too, not just folders


# --- 2. a committed reference cache is never trusted -----------------------------------------

HOSTILE_HTML = '<script>alert("cache")</script><img src=x onerror=alert(1)> Fake title.'
FAKE_HTML = "Fake A. Made up by the cache. <i>Journal of Nothing</i>. 2020;1:1-2."


def forget() -> None:
    """References formatted earlier are kept by a load's cache only (issue 26): a new load
    starts afresh, as a new process does. Nothing to forget."""


def _poison(cache: Path, project: Path, html: str = FAKE_HTML) -> None:
    """What a pull request can commit: every entry's digest (the algorithm is public), also
    signed with a key of its own, and its own key file (git, if any, would show it tracked:
    see test_check_refuses_a_tracked_cache)."""
    from generator import refcache
    from generator.core import references

    assert json.loads((cache / "references.json").read_text()), "no cache was kept"
    refs = load_evidence(project)[0].references
    assert refs
    digests = [references._digest(references._csl_json(r), references._salt())
               for r in refs.values()]
    stored = dict.fromkeys(digests, html)
    stored.update({refcache._signed(b"0" * 64, d): html for d in digests})
    (cache / "references.json").write_text(json.dumps(stored))


@pytest.mark.parametrize("html", [HOSTILE_HTML, FAKE_HTML])
def test_a_hostile_reference_cache_gives_the_same_site_as_a_clean_build(project: Path,
                                                                        tmp_path: Path,
                                                                        html: str) -> None:
    clean = build_site(project, tmp_path / "clean", with_pdf=False)
    _poison(project / ".cache/evidence", project, html)
    forget()
    hostile = build_site(project, tmp_path / "hostile", with_pdf=False)
    assert digest_folder(hostile) == digest_folder(clean)


def test_a_corrupt_reference_cache_gives_the_same_site(project: Path, tmp_path: Path) -> None:
    clean = build_site(project, tmp_path / "clean", with_pdf=False)
    for garbage in ("[1, 2", '{"x": 1}', "null", '"\\ud800"'):
        (project / ".cache/evidence/references.json").write_text(garbage)
        forget()
        assert digest_folder(build_site(project, tmp_path / "again", with_pdf=False)) == \
            digest_folder(clean)


def test_a_cache_written_by_another_checkout_is_not_used(project: Path, tmp_path: Path) -> None:
    """A cache copied from elsewhere (as a pull request would commit it) is not trusted,
    even one that a real build wrote."""
    other = tmp_path / "other"
    build_site(project, tmp_path / "first", with_pdf=False)
    (project / ".cache").rename(other)
    _poison(other / "evidence", project)
    forget()
    build_site(project, tmp_path / "second", with_pdf=False)  # a fresh cache of its own
    (project / ".cache/evidence/references.json").write_text(
        (other / "evidence/references.json").read_text())
    forget()
    site = build_site(project, tmp_path / "third", with_pdf=False)
    assert "Made up" not in (site / "references/index.html").read_text()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=cwd, check=True, capture_output=True)


def test_check_refuses_a_tracked_cache(project: Path) -> None:
    (project / ".cache/evidence").mkdir(parents=True)
    (project / ".cache/evidence/references.json").write_text("{}")
    _git(project, "init", "-q")
    _git(project, "add", "-f", ".")
    _git(project, "commit", "-qm", "x")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert ".cache/evidence/references.json:1:1: -: is tracked by git" in result.stdout


# --- 3. deep nesting -------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "claim: " + "[" * 30_000,
    "claim: " + "{a: " * 30_000,
    "claim:\n" + "".join("  " * i + "- \n" for i in range(200)),
    "claim:\n" + "- " * 20_000,
    "claim: " + "[" * (4 * 1024 * 1024 - 100),  # just under the file cap
])
def test_deep_nesting_is_refused_before_composing(text: str) -> None:
    value, problems = load_yaml(text.encode(), "c.yaml")
    assert value is None and len(problems) == 1
    assert re.match(r"c\.yaml:\d+:\d+: -: structure is nested too deeply", str(problems[0]))


def test_deep_nesting_does_not_crash_check_or_build(project: Path) -> None:
    (project / "content/cards/deep.yaml").write_text("id: deep\nclaim: " + "[" * 30_000)
    for command in (("check",), ("build", "--no-pdf")):
        result = evidence_cli(*command, cwd=project)
        assert result.returncode == 1, result
        assert "content/cards/deep.yaml:2:" in result.stdout + result.stderr
        assert "nested too deeply" in result.stdout + result.stderr


# --- 4. ids that collide with generated pages ------------------------------------------------

def _rename(project: Path, folder: str, old: str, new: str) -> None:
    path = project / f"content/{folder}/{old}.yaml"
    path.write_text(path.read_text().replace(f"id: {old}", f"id: {new}", 1))
    path.rename(path.with_name(f"{new}.yaml"))


@pytest.mark.parametrize(("folder", "old", "new"), [
    ("forms", "magnesium-l-threonate", "index"),
    ("forms", "magnesium-l-threonate", "all-forms"),
    ("sources", "mgt-effective-treatment", "index"),
    ("cards", "mgt-fphl-trial", "index"),  # the claims index, claims/index.md
])
def test_ids_of_generated_pages_are_refused(project: Path, folder: str, old: str,
                                            new: str) -> None:
    _rename(project, folder, old, new)
    found = errors(project)
    assert any(m.startswith(f"content/{folder}/{new}.yaml:") and ": id: " in m
               and "reserved" in m for m in found), found


def test_reserved_ids_come_from_the_site_paths(monkeypatch: pytest.MonkeyPatch,
                                               project: Path) -> None:
    """A page added later (a claims index, say) reserves its name without another list."""
    from generator.core import paths

    fixed = paths.page_paths

    def more(ev):  # noqa: ANN001, ANN202
        return {**fixed(ev), "claims/index.md": "claims", "claims/mgt-fphl-trial.md": "x"}

    monkeypatch.setattr(paths, "page_paths", more)
    found = errors(project)
    assert any(m.startswith(f"{CARD}:2:5: id: ") and "reserved" in m for m in found), found


# --- 5. bib keys and what diff and check print -----------------------------------------------

@pytest.mark.parametrize("key", ["k`[x](http://e.example)`", "k\x1b[31mred", "![i](x)", "@admin"])
def test_every_bib_key_matches_the_key_pattern(key: str) -> None:
    bib = f"@misc{{ok2020,\n title={{T}}, year={{2020}}, author={{A, B}}}}\n\n" \
          f"@misc{{{key},\n title={{T}}, year={{2020}}, author={{A, B}}}}\n"
    refs, problems = load_bib(bib, "r.bib")
    assert key not in refs
    assert any(str(p).startswith("r.bib:4:") and ("not a usable BibTeX key" in str(p)
               or "control character (U+001B)" in str(p)) for p in problems), problems


def test_check_shows_control_characters_escaped(project: Path) -> None:
    with (project / BIB).open("a") as f:
        f.write("\n@misc{x\x1b[2J\x1b[31m,\n title={T}, year={2020}, author={A, B}}\n")
    (project / "content/cards/\x1b[2Jbad.yaml").write_text("id: x\n")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    assert "\\x1b[2J" in result.stdout


def test_new_lists_and_prints_no_escape_codes(project: Path) -> None:
    (project / "content/forms/\x1b[2Jx.yaml").write_text("id: x\n")
    result = evidence_cli("new", "--form", "\x1b[31mf", "--claim", "Magnesium helps hair.",
                          "--article", "mgt-effective-treatment", cwd=project)
    assert result.returncode == 2
    assert "\x1b" not in result.stderr and "\\x1b[31mf" in result.stderr, result.stderr


def test_build_warnings_show_escape_codes_escaped(project: Path) -> None:
    (project / "docs/\x1b[2Jpage.md").write_text("[broken](missing.md)\n")
    result = evidence_cli("build", "--no-pdf", cwd=project)
    assert "\x1b" not in result.stderr and "\\x1b[2Jpage.md" in result.stderr, result.stderr


def test_diff_markdown_cannot_be_broken_out_of() -> None:
    from generator.cli.diff import code, md

    for text in ["`x` [a](https://e.example)", "a\x1b[31mb", "https://evil.example/x",
                 "www.evil.example", "<b>", "a\nb"]:
        for out in (md(text), code(text)):
            assert "\x1b" not in out and "\n" not in out
            assert "https://" not in out and "www.evil" not in out
            assert "](" not in out.replace("\\](", "")
            assert out.count("`") in (0, 2) and "``" not in out[1:-1]


# --- 6. the swap: atomic, no debris, modes, signals -------------------------------------------

def test_site_modes_are_the_usual(project: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        site = build_site(project, tmp_path / "out", with_pdf=False)
    finally:
        os.umask(old)
    assert oct(site.stat().st_mode & 0o777) == "0o755"
    assert oct((site / "index.html").stat().st_mode & 0o777) == "0o644"


def test_at_every_instant_a_site_is_in_place(project: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build_site(project, out, with_pdf=False)
    seen = []
    exchange = build_module._exchange

    def watching(a: Path, b: Path) -> bool:
        done = exchange(a, b)
        seen.append((done, (out / "index.html").is_file()))
        return done

    monkeypatch.setattr(build_module, "_exchange", watching)
    build_site(project, out, with_pdf=False)
    assert seen == [(True, True)]  # one atomic exchange, never a moment without a site


def test_an_interrupted_swap_is_restored_by_the_next_run(project: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build_site(project, out, with_pdf=False)
    (out / "marker").write_text("old site")
    monkeypatch.setattr(build_module, "_exchange", lambda a, b: False)  # no renameat2
    real_rename = os.rename
    calls = []

    def killed_between(src, dst):  # noqa: ANN001, ANN202
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # a kill between the two renames
        real_rename(src, dst)

    monkeypatch.setattr(build_module.os, "rename", killed_between)
    with pytest.raises(KeyboardInterrupt):
        build_site(project, out, with_pdf=False)
    monkeypatch.setattr(build_module.os, "rename", real_rename)
    assert not out.exists()
    edit(project, "id: mgt-fphl-trial", "id: broken")  # the next run fails, but restores
    assert evidence_cli("build", "--no-pdf", "--out", str(out), cwd=project).returncode == 1
    assert (out / "marker").read_text() == "old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]


def test_stale_staging_folders_are_swept_and_ignored(project: Path) -> None:
    stale = project / ".site-building-999999999-abc"
    (stale / "x").mkdir(parents=True)
    (stale / SITE_MARK).write_text("")  # left by a build (test_output_guard: only those)
    link = project / ".site-building-999999998-lnk"
    link.symlink_to("..", target_is_directory=True)
    assert evidence_cli("build", "--no-pdf", cwd=project).returncode == 0
    assert not stale.exists()
    assert link.is_symlink() and project.parent.exists()  # a link is not followed
    rules = (ROOT / ".gitignore").read_text().splitlines()
    assert "/.site-building-*" in rules


def test_a_failure_to_remove_the_old_site_is_reported(project: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build_site(project, out, with_pdf=False)

    def fails(path, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(build_module, "_remove_tree", fails)
    with pytest.raises(OSError, match="old site"):
        build_site(project, out, with_pdf=False)
    assert (out / "index.html").is_file()
    monkeypatch.setattr(build_module, "_exchange", lambda a, b: False)  # two renames
    with pytest.raises(OSError, match="old site"):
        build_site(project, out, with_pdf=False)
    monkeypatch.undo()
    build_site(project, out, with_pdf=False)  # a later build is not blocked by what is left
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "project"]


WRAPPER = """
import os, signal, sys
sys.argv = ["evidence", *sys.argv[1:]]
import {module} as m
def hit(*args, **kwargs):
    os.kill(os.getpid(), signal.{signal})
    raise SystemExit("signal not delivered")
m.{function} = hit
from generator.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
@pytest.mark.parametrize(("module", "function", "args"), [
    ("generator.cli.build", "run_engine", ("build", "--no-pdf")),
    ("generator.cli.new", "_ids", ("new", "--claim", "Magnesium helps hair.")),
])
def test_signals_end_with_one_line(project: Path, sig: str, module: str, function: str,
                                   args: tuple) -> None:
    (project / "site").mkdir()
    (project / "site/index.html").write_text("old")
    (project / "site" / SITE_MARK).write_text("")
    code = WRAPPER.format(module=module, function=function, signal=sig)
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=project,
                            capture_output=True, text=True, timeout=300)
    message = one_line_error(result)
    assert "interrupted" in message, message
    assert result.returncode == 128 + getattr(signal, sig)
    assert (project / "site/index.html").read_text() == "old"
    assert not [p for p in project.iterdir() if "-building-" in p.name]


@pytest.mark.parametrize("detected", [True, False])
def test_out_at_a_mount_point_is_built(project: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch, detected: bool) -> None:
    out = tmp_path / "volume"
    out.mkdir()
    (out / "stale.html").write_text("old")
    (out / SITE_MARK).write_text("")  # a site built there before
    real = build_module._exchange

    def busy(a: Path, b: Path) -> bool:
        if Path(b) == out or Path(a) == out:
            raise OSError(16, "Device or resource busy")
        return real(a, b)

    monkeypatch.setattr(build_module, "_exchange", busy)
    if detected:
        monkeypatch.setattr(build_module.os.path, "ismount", lambda p: Path(p) == out)
    before = tree(tmp_path / "project")
    build_site(project, out, with_pdf=False)
    assert (out / "index.html").is_file() and not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "volume"]
    assert not [p for p in out.iterdir() if p.name.startswith(".") and p.name != SITE_MARK]
    assert tree(tmp_path / "project") - before <= {".cache", ".cache/evidence",
                                                   ".cache/evidence/references.json",
                                                   ".cache/evidence/key"}


# --- 7. one reader for all content -----------------------------------------------------------

def test_a_bib_link_to_proc_is_refused_once_without_a_traceback(project: Path) -> None:
    (project / BIB).unlink()
    (project / BIB).symlink_to("/proc/self/mem")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{BIB}:1:1: -: is a link to a file outside the project" in result.stdout


def test_checks_do_not_read_the_bib_themselves(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                ) -> None:
    from generator.core import yamlio

    reads: list[str] = []
    real = yamlio.read_content

    def counting(path, root, rel):  # noqa: ANN001, ANN202
        reads.append(rel)
        return real(path, root, rel)

    monkeypatch.setattr(Path, "read_text", lambda *a, **k: pytest.fail("read_text"))
    monkeypatch.setattr(Path, "read_bytes", lambda *a, **k: pytest.fail("read_bytes"))
    for module in ("yamlio", "load", "checks"):
        monkeypatch.setattr(f"generator.core.{module}.read_content", counting, raising=False)
    load_evidence(project)
    assert reads.count(BIB) == 1


# --- 8. CSV ----------------------------------------------------------------------------------

def test_csv_quotes_every_cell_and_neutralises_formulas_after_separators(project: Path) -> None:
    edit(project, "hair density and thickness in women with female pattern hair loss.",
         "hair density;=1+2;really,+3,-4,@SUM(A1),=2")
    ev, problems = load_evidence(project)
    assert not [p for p in problems if not p.warning], problems
    text = cards_csv(ev)
    for line in text.split("\r\n")[:-1]:
        if not line:
            continue
        assert line.startswith('"') and line.endswith('"'), line
    rows = list(csv.reader(io.StringIO(text)))
    claim = next(r[2] for r in rows if "really" in r[2])
    for sep in ";,":
        for bad in "=+-@":
            assert sep + bad not in claim, claim
    assert ";'=1+2;" in claim
    from generator.outputs.opendata import _cell

    assert _cell("=1") == "'=1" and _cell("a;\tb,\rc; =d") == "a;'\tb,'\rc; '=d"


# --- 9. TeX specials --------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "shown"), [
    (r"Reduced by 25\% in R\&D tests", "Reduced by 25% in R&D tests"),
    ("Reduced by 25% in R&D tests", "Reduced by 25% in R&D tests"),
    (r"Item \#1 and a\_b", "Item #1 and a_b"),
])
def test_tex_specials_are_decoded_as_meant(title: str, shown: str) -> None:
    bib = (f"@article{{k2020,\n title={{{title}}},\n year={{2020}}, author={{A, B}}, "
           "journal={J}}\n")
    refs, problems = load_bib(bib, "r.bib")
    assert not problems, problems
    assert refs["k2020"].title == shown


@pytest.mark.parametrize("title", [r"Uses \mbox{x} here", r"\begin{x} y \end{x}",
                                   "Costs $5 a month", r"\input{/etc/passwd}"])
def test_tex_that_would_change_silently_is_refused(title: str) -> None:
    bib = (f"@article{{k2020,\n year={{2020}},\n title={{{title}}}, author={{A, B}}, "
           "journal={J}}\n")
    refs, problems = load_bib(bib, "r.bib")
    assert "k2020" not in refs
    assert any(str(p).startswith("r.bib:3:1: k2020.title: ") for p in problems), problems


# --- 10. smaller ------------------------------------------------------------------------------

def test_a_nul_byte_is_reported_once_on_one_line() -> None:
    _, problems = load_yaml(b"id: x\nclaim: a\x00b\n", "c.yaml")
    assert [str(p) for p in problems] == [
        "c.yaml:2:9: -: file holds a control character (U+0000); remove it"]


@pytest.mark.parametrize("brk", ["\r", "\u0085", "\u2028"])
def test_lone_cr_or_nel_do_not_shift_line_numbers(brk: str) -> None:
    data = f"id: x\nclaim: a{brk}b\nverdict: [\n".encode()
    _, problems = load_yaml(data, "c.yaml")
    assert str(problems[0]).startswith("c.yaml:2:9: "), problems
    bib = f"@misc{{k2020,\n title={{a{brk}b}},\n year={{20x0}}, author={{A, B}}}}\n"
    _, problems = load_bib(bib, "r.bib")  # NEL, U+2028 in a field: a space, not a line
    line = 4 if brk == "\r" else 3  # a CR is a line in every editor (tests/test_untrusted.py)
    assert [str(p) for p in problems] == [
        f"r.bib:{line}:1: k2020.year: must be a year such as 2019"]


def test_bibtexparser_prints_nothing_stray(project: Path) -> None:
    with (project / BIB).open("a") as f:
        f.write("\n@article{broken,\n title={x\n")
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert "aborted" not in result.stderr, result.stderr
    assert "BibTeX entry cannot be parsed" in result.stdout


def test_a_deeply_nested_mkdocs_yml_gives_no_traceback(project: Path) -> None:
    (project / "mkdocs.yml").write_text("site_url: " + "[" * 30_000)
    result = evidence_cli("pdf", "--out", "hand", cwd=project)
    message = one_line_error(result)  # an error at its line, not the defaults (issue 26)
    assert message.startswith("mkdocs.yml:1:1: -: not valid YAML"), message


def test_nesting_is_refused_before_composing_on_a_small_thread_stack() -> None:
    """mkdocs serve loads in a thread; some systems give threads 128 KiB of stack."""
    code = ("import threading\nfrom generator.core.yamlio import load_yaml\n"
            "threading.stack_size(128 * 1024)\n"
            "for n in (150, 299, 300, 1000, 20000):\n"
            "    text = ('a: ' + '[' * n + ']' * n).encode()\n"
            "    show = lambda: print(load_yaml(text, 'c')[1][0].message[:30])\n"
            "    t = threading.Thread(target=show)\n"
            "    t.start(); t.join()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result
    assert result.stdout.count("structure is nested too deeply") == 5


def test_check_reports_a_link_at_the_site_dir_mkdocs_yml_gives(project: Path) -> None:
    """The site folder is where mkdocs.yml's site_dir says (the Project's), not only site/."""
    config = project / "mkdocs.yml"
    config.write_text("site_dir: built\n" + config.read_text())
    (project / "built").symlink_to("..", target_is_directory=True)
    result = evidence_cli("check", cwd=project)
    assert result.returncode == 1
    assert "built:1:1: -: is a symbolic link where the generator writes" in result.stdout
