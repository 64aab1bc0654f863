"""`evidence diff`: not implemented yet."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print("evidence: this command is not implemented yet", file=sys.stderr)
    return 2
