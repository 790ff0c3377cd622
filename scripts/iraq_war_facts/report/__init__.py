"""Build the reports: charts, ``summary.md``, the bilingual web edition, tables and a manifest of sha256 sums.

Modules: :mod:`.document` (the document model and its Markdown and HTML renderers), :mod:`.sections` (the ordered
sections of ``summary.md``), :mod:`.web` (the web edition's pages in English and Arabic; ``assets/`` its style and
script). The reports are a pure function of the analysis: no source texts, no clock, no paths. A build writes the
output folder under the rule of :mod:`iraq_war_facts.outputs` (never the package's own files, only a folder this tool
made; built beside it and swapped into place only when complete, so an interrupted build leaves the previous reports
intact). :func:`diff_reports` rebuilds into a temporary folder and names what differs.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from iraq_war_facts import outputs
from iraq_war_facts.analysis import Analysis, analyse
from iraq_war_facts.report import sections, web
from iraq_war_facts.report.document import render_markdown
from iraq_war_facts.spreadsheet import neutralise

MANIFEST = "manifest.json"


def _tables(a: Analysis, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    frames = {
        "summary": a.summary,
        "derived": a.derived.drop("label_ar"),
        "discrepancies": a.discrepancies,
        "relations": a.relations,
    }
    for name, frame in frames.items():
        with (directory / f"{name}.csv").open("wb") as sink:  # a file object: polars needs UTF-8 paths
            neutralise(frame).write_csv(sink)  # text that starts like a formula gets a leading quote


def _files(root: Path) -> list[str]:
    """Relative paths of the report files under ``root`` (not the marker of the output folder)."""
    return [p.relative_to(root).as_posix() for p in outputs.files(root)]


def write(a: Analysis, directory: Path) -> None:
    """Write every report file of the analysis into ``directory`` (which exists)."""
    from iraq_war_facts.charts import build_charts

    entries = build_charts(a, directory / "charts")
    blocks = sections.document(a, entries)
    (directory / "summary.md").write_text(render_markdown(blocks, sections.summary_links(a)), encoding="utf-8")
    web.write_site(a, entries, directory, a.model.package.root)
    _tables(a, directory / "tables")
    files = [
        {
            "path": name,
            "sha256": hashlib.sha256((directory / name).read_bytes()).hexdigest(),
            "bytes": (directory / name).stat().st_size,
        }
        for name in _files(directory)
    ]
    manifest = {"package": a.name, "version": a.version, "files": files}
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def build(a: Analysis, out_dir: Path) -> list[Path]:
    """Write every report of the analysis into ``out_dir``, atomically; return the files written.

    Raises :class:`~iraq_war_facts.outputs.OutputError` (nothing written) when ``out_dir`` may not be replaced.
    """
    with outputs.replacing(out_dir, "reports", a.model.package) as staging:
        write(a, staging.folder)
        names = _files(staging.folder)
    return [Path(out_dir) / name for name in names]


def compare_reports(expected: Path, actual: Path) -> dict[str, str]:
    """Relative path -> ``stale``, ``missing`` or ``extra`` for every file of ``actual`` that is not as expected."""
    want = set(_files(expected)) if expected.is_dir() else set()
    have = set(_files(actual)) if actual.is_dir() else set()
    out = {name: "missing" for name in want - have}
    out.update({name: "extra" for name in have - want})
    for name in want & have:
        if (expected / name).read_bytes() != (actual / name).read_bytes():
            out[name] = "stale"
    return dict(sorted(out.items()))


def diff(a: Analysis, reports_dir: Path) -> dict[str, str]:
    """Rebuild the analysis's reports into a temporary folder and compare with ``reports_dir``; write nothing there."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "reports"
        fresh.mkdir()
        write(a, fresh)
        return compare_reports(fresh, Path(reports_dir))


def _analysis(descriptor: str | Path) -> Analysis:
    from iraq_war_facts.validate import validate

    return analyse(validate(descriptor))


def build_reports(out_dir: Path, descriptor: str | Path) -> list[Path]:
    """Validate the package at ``descriptor`` (without source texts), then :func:`build`.

    Raises :class:`~iraq_war_facts.errors.InvalidPackage` (nothing is written) when the package does not validate.
    """
    return build(_analysis(descriptor), out_dir)


def diff_reports(reports_dir: Path, descriptor: str | Path) -> dict[str, str]:
    """Validate, then :func:`diff`."""
    return diff(_analysis(descriptor), reports_dir)


def check_reports(reports_dir: Path, descriptor: str | Path) -> list[str]:
    """Names (relative paths) of the stale, missing and extra files in ``reports_dir``; empty when up to date."""
    return list(diff_reports(reports_dir, descriptor))
