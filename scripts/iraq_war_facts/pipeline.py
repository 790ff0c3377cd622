"""The main job in one pass: validate once; the analysis, the reports and the release all use that one result."""

from __future__ import annotations

import os
from pathlib import Path

from iraq_war_facts import outputs
from iraq_war_facts import report as reports
from iraq_war_facts.analysis import analyse
from iraq_war_facts.build import release
from iraq_war_facts.errors import require
from iraq_war_facts.validate import validate


def run(
    descriptor: str | os.PathLike[str],
    reports_dir: Path,
    dist_dir: Path,
    *,
    sources_dir: str | os.PathLike[str] | None = None,
    project: Path | None = None,
) -> tuple[list[Path], list[Path]]:
    """Validate, then write the reports into ``reports_dir`` and the release (with those charts) into ``dist_dir``.

    Returns the report files and the release files. Raises :class:`~iraq_war_facts.errors.InvalidPackage` before
    writing anything when the package does not validate, :class:`~iraq_war_facts.outputs.OutputError` when either
    folder may not be written or one lies in the other.
    """
    for module, extra in (("matplotlib", "charts"), ("pyarrow", "release"), ("xlsxwriter", "release")):
        require(module, extra)
    result = validate(descriptor, sources_dir)
    analysis = analyse(result)
    outputs.check_all([(reports_dir, "reports"), (dist_dir, "release")], result.context.package)  # before any write
    written = reports.build(analysis, Path(reports_dir))
    return written, release(result, Path(dist_dir), Path(reports_dir) / "charts", project=project)
