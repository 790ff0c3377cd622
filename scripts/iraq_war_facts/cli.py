"""Command line: ``python -m iraq_war_facts COMMAND`` (also the ``iraq-war-facts`` script).

Exit status: 0 valid or done, 1 invalid or refused, 2 unusable input. Without a descriptor argument a command acts
on the nearest ``datapackage.json`` in the current folder or above it, and writes beside it (``reports/``, ``dist/``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from iraq_war_facts import __version__
from iraq_war_facts.errors import IWFError, PackageError
from iraq_war_facts.package import DESCRIPTOR, Package, find_descriptor, load

README = "README.md"


# --- where things are ------------------------------------------------------------------------------------------


def _descriptor(given: str | None) -> Path:
    """The descriptor named on the command line, else the nearest one from the current folder upward."""
    return Path(given) if given else find_descriptor(Path.cwd())


def _root(descriptor: Path) -> Path:
    """The package folder: the descriptor's folder (or the folder given in its place)."""
    return (descriptor if descriptor.is_dir() else descriptor.parent).absolute()


def _shown(path: Path) -> str:
    """``path`` as the user reads it: ``./...`` when inside the current folder, else absolute."""
    path = path.absolute()
    try:
        return "./" + path.relative_to(Path.cwd().absolute()).as_posix()
    except ValueError:
        return str(path)


def _update_readme(pkg: Package, required: bool) -> bool | None:
    """Regenerate the data dictionary of the README beside the descriptor; None when there is none to update."""
    from iraq_war_facts.docs import END, START, update_readme

    readme = pkg.root / README
    if not readme.is_file():
        if required:
            raise PackageError(_shown(readme), f"no {README} beside {pkg.descriptor_path.name}")
        return None
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        if required:
            raise PackageError(_shown(readme), "lacks the data-dictionary markers")
        return None
    return update_readme(readme, pkg)


# --- commands --------------------------------------------------------------------------------------------------


def _validate(args: argparse.Namespace) -> int:
    descriptor = _descriptor(args.descriptor)
    from iraq_war_facts.validate import validate

    shown = _shown(descriptor)
    if args.format == "text":
        print(f"checking {shown}")
    report = validate(descriptor, args.sources)
    if args.format == "json":
        doc = {
            "valid": report.ok,
            "descriptor": shown,
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

    covered_by = _descriptor(args.descriptor) if args.uncovered else None
    for line in list_mentions(Path(args.text), args.context, covered_by=covered_by):
        print(line)
    return 0


def _rehash(args: argparse.Namespace) -> int:
    from iraq_war_facts.descriptor import rehash

    descriptor = _descriptor(args.descriptor)
    changed = rehash(descriptor)
    print("hashes updated: " + (", ".join(changed) if changed else "none"))
    if _update_readme(load(descriptor), required=False):
        print(f"{README} data dictionary updated")
    return 0


def _readme(args: argparse.Namespace) -> int:
    from iraq_war_facts.docs import update_contributing

    pkg = load(_descriptor(args.descriptor))
    changed = _update_readme(pkg, required=True)
    print(f"{README} data dictionary " + ("updated" if changed else "already current"))
    contributing = pkg.root / "CONTRIBUTING.md"
    if contributing.is_file() and (changed := update_contributing(contributing)) is not None:
        print("CONTRIBUTING.md problem types " + ("updated" if changed else "already current"))
    return 0


def _report(args: argparse.Namespace) -> int:
    descriptor = _descriptor(args.descriptor)
    out = Path(args.out) if args.out else _root(descriptor) / "reports"
    from iraq_war_facts.report import build_reports, diff_reports

    if args.check:
        problems = diff_reports(out, descriptor)
        for name, status in problems.items():
            print(f"{status}: {out / name}")
        if problems:
            print(f"reports are out of date ({len(problems)} file(s)): run `python -m iraq_war_facts report`")
            return 1
        print(f"reports in {_shown(out)} are up to date")
        return 0
    written = build_reports(out, descriptor)
    print(f"{len(written)} file(s) written to {_shown(out)}")
    return 0


def _build(args: argparse.Namespace) -> int:
    descriptor = _descriptor(args.descriptor)
    from iraq_war_facts.build import build

    root = _root(descriptor)
    dist = Path(args.dist) if args.dist else root / "dist"
    project = root if (root / "pyproject.toml").is_file() and (root / "scripts").is_dir() else None
    if args.with_reports:
        from iraq_war_facts.pipeline import run

        out = root / "reports"
        written, paths = run(
            descriptor, out, dist, sources_dir=args.sources, project=None if args.no_wheel else project
        )
        print(f"{len(written)} report file(s) written to {_shown(out)}")
    else:
        paths = build(
            dist,
            descriptor,
            Path(args.charts) if args.charts else None,
            sources_dir=args.sources,
            project=None if args.no_wheel else project,
        )
    for path in paths:
        print(path.relative_to(dist.absolute()).as_posix())
    if project is None and not args.no_wheel:
        print(f"no wheel: no pyproject.toml and scripts/ beside {_shown(descriptor)}")
    print(f"built {len(paths)} files into {_shown(dist)}")
    return 0


# --- parser ----------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="iraq-war-facts", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    nearest = f"the {DESCRIPTOR} of any copy (default: the nearest one from the current folder upward)"
    p = sub.add_parser("validate", help="validate the package; exit 0 valid, 1 invalid, 2 unreadable input")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.add_argument("--sources", metavar="DIR", help="folder of source texts to verify citations against")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_validate)
    p = sub.add_parser("mentions", help="list the numeric mentions of a text, with context, to start curating it")
    p.add_argument("text", help="a UTF-8 text file")
    p.add_argument("--context", type=int, default=40, help="characters of context on each side")
    p.add_argument("--uncovered", action="store_true", help="only mentions not yet in the package")
    p.add_argument("--descriptor", help=nearest)
    p.set_defaults(func=_mentions)
    p = sub.add_parser("rehash", help="recompute hash and bytes of every resource, and the README data dictionary")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.set_defaults(func=_rehash)
    p = sub.add_parser("readme", help="regenerate the data dictionary of the README beside the descriptor")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.set_defaults(func=_readme)
    p = sub.add_parser("report", help="build charts and reports into reports/; --check: exit 1 naming stale files")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.add_argument("--out", metavar="DIR", help="output folder (default: reports/ beside the descriptor)")
    p.add_argument("--check", action="store_true", help="rebuild in a temporary folder and compare; write nothing")
    p.set_defaults(func=_report)
    p = sub.add_parser("build", help="validate, then build the release into dist/ (exit 1: refused)")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.add_argument("--dist", metavar="DIR", help="output folder, replaced whole (default: dist/ beside the descriptor)")
    p.add_argument("--charts", metavar="DIR", help="charts to bundle (default: reports/charts, when present)")
    p.add_argument("--sources", metavar="DIR", help="folder of source texts: verify citations before building")
    p.add_argument("--no-wheel", action="store_true", help="do not build the Python wheel")
    p.add_argument(
        "--with-reports",
        action="store_true",
        help="the main job: validate once, rebuild reports/ beside the descriptor, then the release with its charts",
    )
    p.set_defaults(func=_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    try:
        return args.func(args)
    except IWFError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
