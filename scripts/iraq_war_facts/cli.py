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


def _validate(args: argparse.Namespace) -> int:
    import json

    from iraq_war_facts.validate import validate

    report = validate(args.descriptor, args.sources)
    if args.format == "json":
        doc = {
            "valid": report.ok,
            "descriptor": str(args.descriptor),
            "problems": [p.record() for p in report.problems],
            "summary": [{"check": f, "status": s, "problems": n} for f, s, n in report.summary()],
            "not_run": report.not_run,
            "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            print(problem.text())
        if report.problems:
            print()
        for family, status, count in report.summary():
            detail = report.not_run.get(family, f"{count} problem(s)" if count else "ok")
            print(f"{family:<13} {status:<8} {detail}")
        verdict = "VALID" if report.ok else f"INVALID: {len(report.errors)} problem(s)"
        if report.not_run and report.ok:
            verdict += " (citation and completeness checks NOT RUN: pass --sources DIR)"
        print(f"{verdict} in {report.seconds['total']:.2f} s")
    return 0 if report.ok else 1


def _mentions(args: argparse.Namespace) -> int:
    from iraq_war_facts.checks.completeness import list_mentions

    for line in list_mentions(Path(args.text), args.context, covered_by=args.descriptor if args.uncovered else None):
        print(line)
    return 0


def _report(args: argparse.Namespace) -> int:
    from iraq_war_facts.report import command

    return command(args.out, args.descriptor, check=args.check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iraq-war-facts", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="validate the package; exit 0 valid, 1 invalid, 2 unreadable input")
    p.add_argument("descriptor", nargs="?", default=str(DEFAULT_DESCRIPTOR), help="datapackage.json of any copy")
    p.add_argument("--sources", metavar="DIR", help="folder of source texts to verify citations against")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_validate)
    p = sub.add_parser("mentions", help="list the numeric mentions of a text, with context, to start curating it")
    p.add_argument("text", help="a UTF-8 text file")
    p.add_argument("--context", type=int, default=40, help="characters of context on each side")
    p.add_argument("--uncovered", action="store_true", help="only mentions not yet in the package")
    p.add_argument("--descriptor", default=str(DEFAULT_DESCRIPTOR))
    p.set_defaults(func=_mentions)
    p = sub.add_parser("rehash", help="recompute hash and bytes of every resource, and the README data dictionary")
    p.add_argument("descriptor", nargs="?", default=str(DEFAULT_DESCRIPTOR))
    p.set_defaults(func=_rehash)
    p = sub.add_parser("readme", help="regenerate the README's data dictionary from the schemas")
    p.add_argument("descriptor", nargs="?", default=str(DEFAULT_DESCRIPTOR))
    p.set_defaults(func=_readme)
    p = sub.add_parser("report", help="build charts and reports into reports/; --check: exit 1 naming stale files")
    p.add_argument("descriptor", nargs="?", default=str(DEFAULT_DESCRIPTOR))
    p.add_argument("--out", default=str(REPO_ROOT / "reports"), help="output folder (default: reports/)")
    p.add_argument("--check", action="store_true", help="rebuild in a temporary folder and compare; write nothing")
    p.set_defaults(func=_report)
    from iraq_war_facts.build import add_arguments as add_build_arguments

    add_build_arguments(sub.add_parser("build", help="validate, then build the release into dist/ (exit 1: refused)"))
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
