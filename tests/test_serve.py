"""The edit loop (issue 27 §7): under `mkdocs serve`, a content problem is shown in the browser
(a banner over the last good build, with file, line, field and hint) as well as in the
terminal; a strict `mkdocs build` still fails. Slow: it runs a real `mkdocs serve` (~15 s)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import evidence_cli
from tests.test_init import with_examples

CARD = "content/cards/example-claim.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def _wait_for(url: str, test, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        page = _page(url)
        if page and test(page):
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed what was expected:\n{page[:2000]}")


def test_a_broken_card_is_shown_in_the_browser_over_the_last_good_build(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    made = evidence_cli("init", str(site), "--title", "T", "--outcome", "fatigue",
                        cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    with_examples(site)
    card = site / CARD
    good = card.read_text()
    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve",
                                   "-a", f"127.0.0.1:{port}"], cwd=site, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/claims/example-claim/"
        _wait_for(url, lambda page: "The example form helps adults" in page)
        time.sleep(1.5)  # the watcher's start
        card.write_text(good.replace("verdict: supported", "verdict: maybe"))
        page = _wait_for(url, lambda page: "ev-problems" in page)
        assert f"{CARD}:25:10" in page and "verdict" in page and "is not one of" in page
        assert "The example form helps adults" in page  # the last good build, under it
        home = _page(f"http://127.0.0.1:{port}/")
        assert "ev-problems" in home  # every page says so
        card.write_text(good)
        _wait_for(url, lambda page: "ev-problems" not in page)
        new = site / "content/cards/new-claim.yaml"  # a new card, with a problem: its page
        new.write_text(good.replace("id: example-claim", "id: new-claim")
                       .replace("reviewer: Example reviewer", "reviewer: [a, b]"))
        page = _wait_for(f"http://127.0.0.1:{port}/claims/new-claim/",
                         lambda page: "ev-problems" in page)
        assert "content/cards/new-claim.yaml:33:11" in page and "expected text" in page
        new.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
    terminal = log.read_text()
    assert f"{CARD}:25:10: verdict: 'maybe' is not one of" in terminal
    card.write_text(good.replace("verdict: supported", "verdict: maybe"))
    strict = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site,
                            capture_output=True, text=True, timeout=300)
    assert strict.returncode != 0 and f"{CARD}:25:10" in strict.stderr


def test_the_banner_escapes_what_it_shows() -> None:
    from generator.core.problems import Problem
    from generator.engines.mkdocs_plugin import problems_banner

    shown = problems_banner((Problem("content/cards/x.yaml", 3, 7, "claim",
                                     "<script>alert(1)</script>", "<b>hint</b>"),))
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "content/cards/x.yaml:3:7" in shown and "&lt;b&gt;hint&lt;/b&gt;" in shown
