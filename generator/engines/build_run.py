"""`python -m generator.engines.build_run ENGINE CONFIG SITE_DIR [--no-pdf] [--offline]`: the
MkDocs or ProperDocs build that `evidence build` runs in a process of its own (cli/engine.py),
as the engine's own `build` command does it, with the build's settings given to the plugins
through the engine's public API (load_config, the plugins' config), not the environment:
--no-pdf turns the evidence plugin's handouts off, --offline turns the offline plugin on.

Runs in the engine's own process: under ProperDocs `mkdocs.*` is an alias its modules set up.
"""

from __future__ import annotations

import argparse
import importlib
import sys

OFFLINE_PLUGINS = ("material/offline", "offline")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_run")
    parser.add_argument("engine", choices=("mkdocs", "properdocs"))
    parser.add_argument("config_file")
    parser.add_argument("site_dir")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--offline", action="store_true")
    args = parser.parse_args(argv)
    cli = importlib.import_module(f"{args.engine}.__main__")  # sets up ProperDocs' alias
    from click import ClickException

    config = importlib.import_module(f"{args.engine}.config")
    build = importlib.import_module(f"{args.engine}.commands.build")
    state = cli.State()  # the engine's logging: "WARNING -  …", as its command line prints
    try:
        cfg = config.load_config(config_file=args.config_file, site_dir=args.site_dir)
        if args.no_pdf and "evidence" in cfg.plugins:
            cfg.plugins["evidence"].config["handouts"] = False
        for name in OFFLINE_PLUGINS:
            if args.offline and name in cfg.plugins:
                cfg.plugins[name].config["enabled"] = True
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build.build(cfg, dirty=False)
        finally:
            cfg.plugins.on_shutdown()
    except ClickException as exc:  # MkDocs' Abort and ConfigurationError
        exc.show()
        return exc.exit_code
    finally:
        del state
    return 0


if __name__ == "__main__":
    sys.exit(main())
