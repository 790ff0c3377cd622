"""Mutation testing with mutmut, and docs/mutation.md from its results.

    python tools/mutation.py run [MODULE ...]   # mutate the modules named (all of MODULES by default)
    python tools/mutation.py doc                # write docs/mutation.md from the results kept in build/mutation

Each module runs in a folder of its own, ``build/mutation/<module>``, that links the package as a top-level
``iraq_war_facts`` (so that mutmut's names for functions match their ``__module__``), the tests and the package's
files; mutmut copies them into ``mutants/`` there and mutates the copy, never the working tree. The module's own test
files (MODULES) are the only tests run: first once, to learn which test reaches which function, then for each mutant
only those that reach the mutated function, in a single process each (``-n 0``). The mutmut settings shared by all
modules are ``[tool.mutmut]`` in pyproject.toml.

The document says for each module the mutants, killed, survived, timed out and the kill rate, and lists every
survivor with its line and change, marked equivalent with the reason given in docs/mutation-equivalent.csv (matched
on module, function and change), or "not killed yet".
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "build" / "mutation"
DOC = ROOT / "docs" / "mutation.md"
EQUIVALENT = ROOT / "docs" / "mutation-equivalent.csv"
PACKAGE = "iraq_war_facts"
LINKED = ("tests", "datapackage.json", "data", "schemas")  # what the tests read, linked into each module's folder

# Each module mutated, with the test files that exercise it: the only tests its mutants are run against.
MODULES: dict[str, tuple[str, ...]] = {
    "evaluate": ("test_derived.py", "test_relations.py", "test_bounds.py"),
    "checks/relations": ("test_relations.py", "test_derived.py", "test_bounds.py", "test_positions.py"),
    "checks/rules": ("test_rules.py", "test_bounds.py", "test_positions.py"),
    "arabic": ("test_arabic.py", "test_arabic_oracle.py", "test_bounds.py"),
    "checks/schema": ("test_schema_checks.py", "test_hostile_cells.py", "test_positions.py"),
    "checks/schema_parts": ("test_schema_checks.py", "test_descriptor_checks.py", "test_positions.py"),
    "checks/descriptor": ("test_descriptor_checks.py", "test_bounds.py", "test_positions.py"),
    "checks/shapes": ("test_descriptor_checks.py", "test_schema_checks.py"),
    "checks/hygiene": ("test_hygiene.py", "test_hostile_cells.py", "test_bounds.py", "test_positions.py"),
    "checks/citations": ("test_citation_checks.py", "test_citations.py", "test_bounds.py", "test_positions.py"),
    "checks/claims": ("test_claims.py", "test_positions.py"),
    "checks/completeness": ("test_completeness.py", "test_positions.py"),
    "checks/base": ("test_problems.py", "test_positions.py"),
    "analysis": ("test_analysis.py", "test_derived.py", "test_outputs_say.py"),
    "comparisons": ("test_analysis.py", "test_outputs_say.py"),
    "exports": ("test_build.py", "test_derived.py", "test_hostile_cells.py"),
}

# mutmut's exit codes, as its stats module reads them, grouped for the document
KILLED, SURVIVED, TIMEOUT, NO_TESTS, NOT_CHECKED = "killed", "survived", "timeout", "no tests", "not checked"


def status(code: int | None) -> str:
    """mutmut's verdict for a mutant's exit code (its own table)."""
    from mutmut.stats import status_by_exit_code

    return status_by_exit_code[code]


def stage_name(module: str) -> str:
    return module.replace("/", ".")


def source(module: str) -> Path:
    return Path(PACKAGE) / f"{module}.py"


def _toml(table: dict[str, object]) -> str:
    """Keys of strings, numbers, booleans and lists of strings as TOML (JSON spells each of them the same way)."""
    return "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in table.items())


def stage(module: str) -> Path:
    """The module's folder under build/mutation, with the links and the pyproject.toml that mutmut reads."""
    folder = WORK / stage_name(module)
    folder.mkdir(parents=True, exist_ok=True)
    links = {PACKAGE: ROOT / "scripts" / PACKAGE, **{name: ROOT / name for name in LINKED}}
    if (ROOT.parent / "shared").is_dir():  # the source texts beside the checkout, where the tests look beside mutants/
        links["shared"] = ROOT.parent / "shared"
    for name, target in links.items():
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(target)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    settings = {
        **project["tool"]["mutmut"],
        "source_paths": [PACKAGE],
        "only_mutate": [str(source(module))],
        "also_copy": list(LINKED[1:]),
        "pytest_add_cli_args_test_selection": [f"tests/{name}" for name in MODULES[module]],
    }
    text = "[tool.pytest.ini_options]\n" + _toml(project["tool"]["pytest"]["ini_options"])
    (folder / "pyproject.toml").write_text(text + "\n[tool.mutmut]\n" + _toml(settings), encoding="utf-8")
    return folder


def run(module: str, max_children: int, keep: bool = False) -> None:
    """Mutate ``module`` and run its tests against each mutant, keeping the source as run and the run's facts. Each
    run starts afresh unless ``keep``: mutmut keeps the verdicts of unchanged functions, even survivors that a test
    added since would kill."""
    folder = stage(module)
    if not keep:
        shutil.rmtree(folder / "mutants", ignore_errors=True)
    shutil.copyfile(ROOT / "scripts" / source(module), folder / "source.py")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    start = time.monotonic()
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = subprocess.run(command, cwd=folder, env=env).returncode
    facts = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "seconds": round(time.monotonic() - start),
        "commit": commit.stdout.strip(),
        "tests": list(MODULES[module]),
        "exit": code,
    }
    (folder / "run.json").write_text(json.dumps(facts, indent=1) + "\n", encoding="utf-8")
    if code:
        raise SystemExit(f"mutmut failed on {module} (exit {code})")


@dataclass
class Mutant:
    module: str
    name: str  # mutmut's id, e.g. x_relation_holds__mutmut_3
    function: str
    status: str
    line: int | None = None
    change: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What docs/mutation-equivalent.csv matches: the module, the function and the change."""
        return self.module, self.function, self.change


def _changed_line(diff: str, original: list[str], span: tuple[int, int]) -> tuple[int | None, str]:
    """The first changed line of the original source (1-based) and the change as ``old → new``, from mutmut's diff of
    one function (whose text is the original's, verbatim, from the ``def`` line)."""
    removed = [line[1:] for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    change = " ⏎ ".join(s.strip() for s in removed) + " → " + (" ⏎ ".join(s.strip() for s in added) or "(removed)")
    line = None
    if removed:
        start, end = span
        hits = [n for n in range(start, end + 1) if original[n - 1].strip() == removed[0].strip()]
        hunk = re.search(r"^@@ -(\d+)", diff, re.M)
        guess = start + (int(hunk.group(1)) - 1 if hunk else 0)
        line = min(hits, key=lambda n: abs(n - guess)) if hits else None
    return line, change


def _spans(text: str) -> dict[tuple[str | None, str], tuple[int, int]]:
    """(class, function) -> the first and last line of each top-level function and method."""
    spans: dict[tuple[str | None, str], tuple[int, int]] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            spans[(None, node.name)] = (node.lineno, node.end_lineno or node.lineno)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    spans[(node.name, item.name)] = (item.lineno, item.end_lineno or item.lineno)
    return spans


def results(module: str) -> tuple[dict, list[Mutant]] | None:
    """The facts of the module's last run and its mutants, or None when it has not run."""
    folder = WORK / stage_name(module)
    meta = folder / "mutants" / f"{source(module)}.meta"
    if not (folder / "run.json").is_file() or not meta.is_file():
        return None
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key

    facts = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    text = (folder / "source.py").read_text(encoding="utf-8")
    original, spans = text.splitlines(), _spans(text)
    mutants = []
    here = Path.cwd()
    os.chdir(folder)  # mutmut reads the mutated copy under ./mutants
    try:
        for key, code in codes.items():
            name = key.rpartition(".")[2]
            function, cls = orig_function_and_class_names_from_key(key)
            mutant = Mutant(module, name, f"{cls}.{function}" if cls else function, status(code))
            if mutant.status != KILLED:
                span = spans.get((cls, function), (1, len(original)))
                mutant.line, mutant.change = _changed_line(
                    get_diff_for_mutant(key, path=source(module)), original, span
                )
            mutants.append(mutant)
    finally:
        os.chdir(here)
    return facts, mutants


def mutant_count(module: str) -> int:
    """How many mutants mutmut makes of ``module`` as it is now (without running anything)."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    folder, here = stage(module), Path.cwd()
    os.chdir(folder)  # mutmut reads its settings from the folder's pyproject.toml
    try:
        path = source(module)
        return len(mutate_file_contents(str(path), path.read_text(encoding="utf-8")).mutant_names)
    finally:
        os.chdir(here)


def equivalents() -> dict[tuple[str, str, str], str]:
    """(module, function, change) -> why that mutant cannot be told from the original (docs/mutation-equivalent.csv)."""
    if not EQUIVALENT.is_file():
        return {}
    with EQUIVALENT.open(encoding="utf-8", newline="") as fh:
        return {(r["module"], r["function"], r["change"]): r["reason"] for r in csv.DictReader(fh)}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'")


def _rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def document() -> str:
    """docs/mutation.md: the kill rate per module and every surviving mutant, equivalent (why) or not killed yet."""
    from importlib.metadata import version

    reasons = equivalents()
    ran = {m: r for m in MODULES if (r := results(m))}
    lines = [
        "# Mutation testing",
        "",
        "How many deliberate small bugs the tests catch. [mutmut](https://github.com/boxed/mutmut) "
        f"{version('mutmut')} mutates one function at a time (an operator, a comparison, a constant, a string, an "
        "argument dropped) in a copy of the code and runs the tests that reach that function, from the module's own "
        "test files only. A mutant is *killed* when a test fails, *timed out* when the tests run past mutmut's limit "
        "(counted as caught), and *survived* when every test passes; *no tests* means no test of those files reaches "
        "the function. A survivor is either *equivalent* (no input can tell it from the original; the reason is kept "
        "in `docs/mutation-equivalent.csv`) or *not killed yet*: a test to write.",
        "",
        "Command: `python3 tools/bootstrap.py -s mutation` (all modules) or `python3 tools/bootstrap.py -s mutation "
        "-- evaluate checks/rules` (some), which runs `python tools/mutation.py run MODULE...` and then "
        "`python tools/mutation.py doc` to write this file. Not part of the test suite nor of the `ci` session.",
        "",
        "Kill rate = (killed + timed out) ÷ mutants run; the last column leaves the equivalent mutants out. A run "
        "stopped before its end counts only the mutants it ran.",
        "",
        "| module | tests | run | minutes | mutants | killed | timed out | survived | no tests | equivalent "
        "| kill rate | less equivalents |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = [0] * 6
    for module, (facts, mutants) in ran.items():
        count = {s: sum(m.status == s for m in mutants) for s in (KILLED, TIMEOUT, SURVIVED, NO_TESTS)}
        equivalent = sum(m.status in (SURVIVED, NO_TESTS) and m.key in reasons for m in mutants)
        caught = count[KILLED] + count[TIMEOUT]
        unchecked = sum(m.status == NOT_CHECKED for m in mutants)
        row = [len(mutants) - unchecked, count[KILLED], count[TIMEOUT], count[SURVIVED], count[NO_TESTS], equivalent]
        totals = [a + b for a, b in zip(totals, row, strict=True)]
        tests = ", ".join(f"`{t}`" for t in facts["tests"])
        when = f"{facts['date']} at {facts['commit']}"
        if unchecked:
            when += f", stopped after {row[0]} of its {len(mutants)} mutants (the quickest to test first)"
        lines.append(
            f"| `{module}.py` | {tests} | {when} | {facts['seconds'] / 60:.1f} | "
            + " | ".join(str(n) for n in row)
            + f" | {_rate(caught, row[0])} | {_rate(caught, row[0] - equivalent)} |"
        )
    if ran:
        caught = totals[1] + totals[2]
        lines.append(
            "| all run | | | | "
            + " | ".join(str(n) for n in totals)
            + f" | {_rate(caught, totals[0])} | {_rate(caught, totals[0] - totals[5])} |"
        )
    waiting = {f"`{m}.py`": mutant_count(m) for m in MODULES if m not in ran}
    for module, (_, mutants) in ran.items():
        if left := sum(m.status == NOT_CHECKED for m in mutants):
            waiting[f"the rest of `{module}.py` (the slowest to test)"] = left
    if waiting:
        done = sum(m.status != NOT_CHECKED for _, mutants in ran.values() for m in mutants)
        pace = sum(facts["seconds"] for facts, _ in ran.values()) / done if done else 0
        lines += ["", "Not run yet (mutants, and minutes at the pace measured above):", ""]
        lines += [f"- {m}: {n} mutants, about {n * pace / 60:.0f} minutes" for m, n in waiting.items()]
        total = sum(waiting.values())
        lines += [
            "",
            f"In all {total} mutants not run yet, about {total * pace / 3600:.1f} hours on two cores "
            f"({pace:.1f} s a mutant so far).",
        ]
    lines += [
        "",
        "## Surviving mutants",
        "",
        "Lines are those of the module as it was at the run's commit.",
    ]
    for module, (_, mutants) in ran.items():
        survivors = [m for m in mutants if m.status not in (KILLED, TIMEOUT, NOT_CHECKED)]
        lines += ["", f"### `{module}.py`", ""]
        if not survivors:
            lines.append("None.")
            continue
        lines += [
            "| line | function | mutant | status | change | equivalent: reason |",
            "| ---: | --- | --- | --- | --- | --- |",
        ]
        for m in sorted(survivors, key=lambda m: (m.line or 0, m.function, int(m.name.rpartition("_")[2]))):
            reason = reasons.get(m.key)
            verdict = f"equivalent: {_cell(reason)}" if reason else "not killed yet"
            lines.append(
                f"| {m.line or '?'} | `{m.function}` | {m.name.rpartition('__mutmut_')[2]} | {m.status} | "
                f"`{_cell(m.change)}` | {verdict} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    go = sub.add_parser("run", help="mutate modules and run their tests against each mutant")
    go.add_argument("modules", nargs="*", metavar="MODULE", help="any of: " + ", ".join(MODULES))
    go.add_argument("--max-children", type=int, default=os.cpu_count() or 1)
    go.add_argument("--keep", action="store_true", help="keep the verdicts of the last run (to finish a stopped one)")
    sub.add_parser("doc", help=f"write {DOC.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if args.command == "run":
        unknown = sorted(set(args.modules) - set(MODULES))
        if unknown:
            parser.error(f"not a module of MODULES: {', '.join(unknown)}")
        for module in args.modules or MODULES:
            run(module, args.max_children, args.keep)
    else:
        DOC.write_text(document(), encoding="utf-8")


if __name__ == "__main__":
    main()
