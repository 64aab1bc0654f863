"""The MkDocs or ProperDocs build of `evidence build`, through the engine's public API
(`load_config`, `commands.build.build`, the plugins' config), as its own `build` command runs
it: --no-pdf turns the evidence plugin's handouts off, --offline turns the offline plugin on.

MkDocs runs in the command's own process (`build`), with the evidence the command has loaded
handed to the plugin, so that no card is read twice. ProperDocs makes `mkdocs.*` an alias of
its own modules, which only a process of its own can do: `python -m
generator.engines.build_run properdocs CONFIG SITE_DIR [--no-pdf] [--offline]` (`main`).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Any

from generator.core.problems import printable

OFFLINE_PLUGINS = ("material/offline", "offline")


class BuildFailed(Exception):
    """The engine refused the config or stopped the build (strict mode, a plugin's error)."""


def build(engine: str, config_file: str, site_dir: str, *, pdf: bool = True,
          offline: bool = False, evidence: Any = None) -> None:
    """Build the site of config_file into site_dir; BuildFailed with the engine's message.
    evidence: the evidence already loaded (core.model.Evidence), used instead of loading it."""
    importlib.import_module(f"{engine}.__main__")  # ProperDocs sets up its alias here
    from click import ClickException

    config = importlib.import_module(f"{engine}.config")
    commands = importlib.import_module(f"{engine}.commands.build")
    shown = _Shown()  # the engine's warnings and errors, as its command line prints them
    logger = logging.getLogger("mkdocs")
    logger.addHandler(shown)
    try:
        cfg = config.load_config(config_file=config_file, site_dir=site_dir)
        plugin = cfg.plugins.get("evidence")
        if plugin is not None:
            plugin.config["handouts"] = plugin.config["handouts"] and pdf
            plugin.given = evidence
        for name in OFFLINE_PLUGINS:
            if offline and name in cfg.plugins:
                cfg.plugins[name].config["enabled"] = True
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            commands.build(cfg, dirty=False)
        finally:
            cfg.plugins.on_shutdown()
    except ClickException as exc:  # MkDocs' Abort, ConfigurationError, PluginError
        raise BuildFailed(_lines(exc.format_message())) from None
    finally:
        logger.removeHandler(shown)


class _Shown(logging.Handler):
    """Warnings and errors on stderr, "WARNING -  …" as MkDocs prints them, made printable
    (a message may quote the content)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        print(_lines(f"{record.levelname:<8}-  {record.getMessage()}"), file=sys.stderr)


def _lines(text: str) -> str:
    return "\n".join(printable(line) for line in text.splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_run")
    parser.add_argument("engine", choices=("mkdocs", "properdocs"))
    parser.add_argument("config_file")
    parser.add_argument("site_dir")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--offline", action="store_true")
    args = parser.parse_args(argv)
    try:
        build(args.engine, args.config_file, args.site_dir, pdf=not args.no_pdf,
              offline=args.offline)
    except BuildFailed as exc:
        print(f"Aborted: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
