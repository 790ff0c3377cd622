"""Command line: ``python -m iraq_war_facts COMMAND`` (also the ``iraq-war-facts`` script).

Exit status: 0 valid or done, 1 invalid or refused, 2 unusable input. Without a descriptor argument a command acts
on the nearest ``datapackage.json`` in the current folder or above it, and writes beside it (``reports/``, ``dist/``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.abc
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from iraq_war_facts import __version__
from iraq_war_facts.errors import IWFError
from iraq_war_facts.package import DESCRIPTOR, Package, find_descriptor, load

MAX_CONTEXT = 1000  # characters of context each side that mentions may show


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


def _update_readme(pkg: Package, required: bool, write: bool = True) -> bool | None:
    """Regenerate the data dictionary (docs/data-dictionary.md) beside the descriptor (never another, never through a
    symlink); unless ``required``, only when it exists (None when it does not). ``write=False`` only checks, so that
    nothing is written before a refusal. README.md is the reader's: never rewritten."""
    from iraq_war_facts.docs import dictionary_path, update_dictionary
    from iraq_war_facts.outputs import check_file

    path = dictionary_path(pkg)
    if not required and not (path.exists() or path.is_symlink()):
        return None
    check_file(path)
    return update_dictionary(pkg) if write else False


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


def _add_source(args: argparse.Namespace) -> int:
    from iraq_war_facts.curation import PLACEHOLDER, add_source, placement

    row = add_source(Path(args.text), _descriptor(args.descriptor), args.language)
    sid, name = row["source_id"], row["file"]
    print(f"added {sid} ({name}) to the sources table:")
    for field, value in row.items():
        print(f"  {field}: {value}")
    todo = [field for field, value in row.items() if value.startswith(PLACEHOLDER)]
    if todo:
        print(f"fill in: {', '.join(todo)} (and publisher, published where the text gives them)")
    target = placement(args.text, args.sources)
    if args.sources is None:
        print(f"put {name} in the folder of the package's source texts and validate with --sources DIR")
    elif target is not None:
        print(f"{name} is not in {args.sources}: copy it to {target} for validate --sources {args.sources}")
    else:
        print(f"validate with --sources {args.sources} to check its quotes")
    print(f"until a fact cites {sid} the package is invalid: `iraq-war-facts draft {args.text}` proposes rows")
    return 0


def _draft(args: argparse.Namespace) -> int:
    from iraq_war_facts.curation import draft, render

    sys.stdout.write(render(draft(Path(args.text), _descriptor(args.descriptor)), args.format))
    return 0


def _draft_score(args: argparse.Namespace) -> int:
    from iraq_war_facts.curation import score

    result = score(Path(args.folder), _descriptor(args.descriptor))
    for line in result.lines():
        print(line)
    if args.misses:
        for line in result.misses:
            print(f"  {line}")
    return 0


def _rehash(args: argparse.Namespace) -> int:
    from iraq_war_facts.descriptor import rehash
    from iraq_war_facts.docs import DICTIONARY

    descriptor = _descriptor(args.descriptor)
    _update_readme(load(descriptor), required=False, write=False)  # a dictionary that may not be rewritten stops it
    changed = rehash(descriptor)
    print("hashes updated: " + (", ".join(changed) if changed else "none"))
    if _update_readme(load(descriptor), required=False):
        print(f"{DICTIONARY} updated")
    return 0


def _readme(args: argparse.Namespace) -> int:
    from iraq_war_facts.docs import DICTIONARY, update_contributing
    from iraq_war_facts.outputs import check_file

    pkg = load(_descriptor(args.descriptor))
    contributing = pkg.root / "CONTRIBUTING.md"
    present = contributing.exists() or contributing.is_symlink()
    if present:
        check_file(contributing)  # refused before the data dictionary is written
    changed = _update_readme(pkg, required=True)
    print(f"{DICTIONARY} " + ("updated" if changed else "already current"))
    if present and (changed := update_contributing(contributing)) is not None:
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
    from iraq_war_facts.outputs import check

    check(out, "reports", load(descriptor))  # refused before the package is validated, as the library would after
    written = build_reports(out, descriptor)
    print(f"{len(written)} file(s) written to {_shown(out)}")
    return 0


def _build(args: argparse.Namespace) -> int:
    descriptor = _descriptor(args.descriptor)
    from iraq_war_facts.build import build
    from iraq_war_facts.outputs import check_all

    root = _root(descriptor)
    dist = Path(args.dist) if args.dist else root / "dist"
    project = root if (root / "pyproject.toml").is_file() and (root / "scripts").is_dir() else None
    out = root / "reports"
    check_all([(out, "reports"), (dist, "release")] if args.with_reports else [(dist, "release")], load(descriptor))
    if args.with_reports:
        from iraq_war_facts.pipeline import run

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
    p.add_argument(
        "--context", type=_context, default=40, help=f"characters of context on each side (0 to {MAX_CONTEXT})"
    )
    p.add_argument("--uncovered", action="store_true", help="only mentions not yet in the package")
    p.add_argument("--descriptor", help=nearest)
    p.set_defaults(func=_mentions)
    p = sub.add_parser("add-source", help="register a new source text in the sources table (exit 1: refused)")
    p.add_argument("text", help="the UTF-8 text file, named as the table will name it (letters, digits, _.- and .txt)")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.add_argument("--language", help="ISO 639-1 code of the text (default: ar when Arabic letters dominate)")
    p.add_argument("--sources", metavar="DIR", help="folder of the package's source texts")
    p.set_defaults(func=_add_source)
    p = sub.add_parser("draft", help="propose a row for each numeric mention of a text not yet in the package")
    p.add_argument("text", help="a UTF-8 text file (matched to a registered source by its sha256)")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="written to standard output (default csv)")
    p.set_defaults(func=_draft)
    p = sub.add_parser("draft-score", help="score the drafts of a folder of texts against its gold.csv")
    p.add_argument("folder", help="a folder of UTF-8 texts and gold.csv (see tests/fixtures/drafting/README.md)")
    p.add_argument("descriptor", nargs="?", help=f"{nearest}, whose cues and codebook draft")
    p.add_argument("--misses", action="store_true", help="list each gold row the drafts got wrong")
    p.set_defaults(func=_draft_score)
    p = sub.add_parser("rehash", help="recompute hash and bytes of every resource, and docs/data-dictionary.md")
    p.add_argument("descriptor", nargs="?", help=nearest)
    p.set_defaults(func=_rehash)
    p = sub.add_parser("readme", help="regenerate docs/data-dictionary.md and CONTRIBUTING's problem types")
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


def _context(text: str) -> int:
    """``--context``: a whole number of characters from 0 to :data:`MAX_CONTEXT`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= MAX_CONTEXT:
        raise argparse.ArgumentTypeError(f"{value} is outside 0..{MAX_CONTEXT}")
    return value


class _Output(io.TextIOBase):
    """Standard output that survives its reader going away (``validate | head -1``): once the pipe is closed, the
    rest of the output is dropped and the command still finishes and exits with its own status."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.broken = False

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self.stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self.stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        """Point the file descriptor at the null device so that the interpreter's own final flush cannot fail."""
        self.broken = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass


def _tolerant(stream: TextIO) -> None:
    """Characters the stream cannot encode (Arabic on an ASCII or C-locale terminal) are written as escapes."""
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors="backslashreplace")


HIDDEN = ("pandas", "hypothesis")  # what pandera imports whenever installed, and no command needs


class _Hidden(importlib.abc.MetaPathFinder):
    """Makes :data:`HIDDEN` look absent. pandera imports pandas and hypothesis whenever they are installed (over a
    second and 85 MiB on every start) although the validator uses only its polars API; the command line's process
    is its own, so it hides them for the length of a command. Library users import what they like."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@contextlib.contextmanager
def _without_pandas() -> Iterator[None]:
    finder = _Hidden()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    """Run one command; every outcome is a message and exit status 0, 1 or 2, never a traceback.

    Set ``IWF_DEBUG=1`` to let an unexpected error raise with its traceback (for reporting a bug).
    """
    _tolerant(sys.stdout)
    _tolerant(sys.stderr)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    out = _Output(sys.stdout)
    saved, sys.stdout = sys.stdout, out
    try:
        with _without_pandas():
            code = args.func(args)
        out.flush()
        return code
    except IWFError as exc:
        return _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted; nothing half-written was left in place", 2)
    except RecursionError:
        return _fail("the input is nested too deeply to read", 2)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}", 2)
    except Exception as exc:
        if os.environ.get("IWF_DEBUG") == "1":
            raise
        return _fail(f"unexpected {type(exc).__name__}: {exc} (a bug: please report it with the command you ran)", 2)
    finally:
        sys.stdout = saved
