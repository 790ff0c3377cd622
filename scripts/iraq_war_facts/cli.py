"""Command line: ``python -m iraq_war_facts COMMAND`` (also the ``iraq-war-facts`` script). Arguments only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from iraq_war_facts import __version__
from iraq_war_facts.package import DEFAULT_DESCRIPTOR, REPO_ROOT, PackageError, load


def _rehash(args: argparse.Namespace) -> int:
    from iraq_war_facts.descriptor import rehash
    from iraq_war_facts.docs import update_readme

    changed = rehash(args.descriptor)
    print("hashes updated: " + (", ".join(changed) if changed else "none"))
    readme = Path(args.descriptor).resolve().parent / "README.md"
    if readme.is_file() and update_readme(readme, load(args.descriptor)):
        print("README.md data dictionary updated")
    return 0


def _readme(args: argparse.Namespace) -> int:
    from iraq_war_facts.docs import update_readme

    changed = update_readme(REPO_ROOT / "README.md", load(args.descriptor))
    print("README.md data dictionary " + ("updated" if changed else "already current"))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iraq-war-facts", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("rehash", help="recompute hash and bytes of every resource, and the README data dictionary")
    p.add_argument("descriptor", nargs="?", default=str(DEFAULT_DESCRIPTOR))
    p.set_defaults(func=_rehash)
    p = sub.add_parser("readme", help="regenerate the README's data dictionary from the schemas")
    p.add_argument("descriptor", nargs="?", default=str(DEFAULT_DESCRIPTOR))
    p.set_defaults(func=_readme)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        return args.func(args)
    except PackageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
