"""Build a release into a folder: the zipped data package, Parquet, SQLite (with its Datasette metadata), XLSX, JSON,
the wheel and SHA256SUMS.

The zip holds one folder, ``<name>-<version>/``: the descriptor, every resource and schema, the licences,
``CITATION.cff``, the CHANGELOG, the report, and the files generated for it: a README for whoever downloaded it, the
data dictionary and the ``SHA256SUMS`` of the folder.

The package is validated first; an invalid package builds nothing. The output folder follows the rule of
:mod:`iraq_war_facts.outputs`: never the package's own files, only a folder this tool made; every output is generated
in a temporary folder beside it and swapped in only when all are complete, so a build that fails or is interrupted
leaves the previous release as it was. The names that become file names (the package's ``name`` and ``version``, the
resource names) are checked here, where they are used; the bundle never follows a symlink nor takes a file from
outside the package. Outputs are deterministic: two builds of the same tree with the same library versions are
byte-identical (sorted zip entries, fixed timestamps and permissions, no clock anywhere).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from iraq_war_facts import docs, exports, outputs
from iraq_war_facts.errors import BuildError, PackageError, WheelError, require  # the errors stay importable here
from iraq_war_facts.outputs import FILE_MODE
from iraq_war_facts.package import MAX_RESOURCE_BYTES, Package, read_regular, sha256_file
from iraq_war_facts.validate import Report

FIXED_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can record
BUNDLE_FILES = ("LICENSE", "LICENSE-DATA", "CITATION.cff", "CHANGELOG.md")
"""Files the bundle takes from beside the descriptor; its README.md and data dictionary are generated."""
CHART_SUFFIXES = (".png", ".svg")
REPORT_SUFFIXES = (".md", ".html", ".json", ".csv", ".png", ".svg", ".css", ".js")
SUMS = "SHA256SUMS"
ZIP_LEVEL = 9
WHEEL_SOURCES = ("pyproject.toml", "README.md", "LICENSE")
WHEEL_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
BOM = b"\xef\xbb\xbf"
NAME = re.compile(r"[a-z0-9_-][a-z0-9._-]*")  # the Data Package name rule, not starting with a dot
VERSION = re.compile(r"[A-Za-z0-9._+-]+")
MAX_FILE_NAME = 255  # bytes of one file name on common file systems


def source_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` when set (not before 1980, which zip cannot record), else 1980-01-01."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return max(int(value), FIXED_EPOCH) if value.isdigit() else FIXED_EPOCH


def _created(pkg: Package, epoch: int) -> dt.datetime:
    """The descriptor's ``created`` (naive UTC), else the build epoch: the XLSX document date."""
    value = pkg.descriptor.get("created")
    if isinstance(value, str):
        try:
            stamp = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return stamp.astimezone(dt.UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
    return dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)


def about(pkg: Package) -> dict[str, str]:
    """Package metadata written into each format: name, version, licence, how to cite and credit the data."""
    d = pkg.descriptor
    licenses = [x for x in d.get("licenses", []) if isinstance(x, dict)]
    lic = licenses[0] if licenses else {}
    name = str(d.get("name", "data"))
    license_name = str(lic.get("name", ""))
    title = str(d.get("title", name))
    author = ", ".join(str(c.get("title", "")) for c in d.get("contributors", []) if isinstance(c, dict))
    created = d.get("created")
    year = f" ({created[:4]})" if isinstance(created, str) and created[:4].isdigit() else ""
    version = str(d.get("version", ""))
    homepage = str(d.get("homepage", ""))
    cite = [
        f"{author or name}{year}.",
        f"{title} (version {version}) [Data set].",
        f"{license_name}." * bool(license_name),
    ]
    return {
        "name": name,
        "title": title,
        "version": version,
        "description": str(d.get("description", "")),
        "keywords": ", ".join(str(k) for k in d.get("keywords", [])),
        "author": author,
        "license": license_name,
        "license_url": str(lic.get("path", "")),
        "homepage": homepage,
        "attribution": f"Data: {name} ({license_name}); figures are claims as stated by their sources.",
        "citation": " ".join(part for part in [*cite, homepage] if part),
    }


def datasette_about(pkg: Package) -> dict[str, str]:
    """What Datasette shows of the package on every page: title, description, licence and where the data comes from
    (the number of sources the descriptor lists; the homepage)."""
    info = about(pkg)
    sources = pkg.descriptor.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    listed = "the table sources" if "sources" in pkg.resources else "datapackage.json"
    return {
        "title": info["title"],
        "description": info["description"],
        "license": info["license"],
        "license_url": info["license_url"],
        "source": f"{count} source text{'s' if count != 1 else ''}, listed in {listed}" if count else info["name"],
        "source_url": info["homepage"],
    }


# --- the bundle ------------------------------------------------------------------------------------------------


def _member(path: Path, inside: Path, name: str) -> bool:
    """Whether ``path`` exists; refuse (:class:`BuildError`) a symlink, anything but a regular file, or a file that
    does not lie inside the folder ``inside``."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(mode):
        raise BuildError(f"{name} is a symlink; the release never follows one: put the file itself there")
    if not stat.S_ISREG(mode):
        raise BuildError(f"{name} is not a regular file")
    if not path.resolve().is_relative_to(inside.resolve()):
        raise BuildError(f"{name} lies outside the package")
    return True


def _is_report(folder: Path) -> bool:
    """Whether ``folder`` is a report folder this tool made (its marker says so)."""
    marker = folder / outputs.MARKER
    try:
        return stat.S_ISREG(marker.lstat().st_mode) and read_regular(
            marker, outputs.MARKER, 256
        ) == outputs.marker_text("reports").encode("utf-8")
    except (OSError, PackageError):
        return False


def _folder_members(folder: Path, prefix: str, suffixes: tuple[str, ...], recurse: bool) -> dict[str, Path]:
    """Archive name (``prefix/relative path``) → file for every file of ``folder`` with one of ``suffixes`` (in its
    subfolders too when ``recurse``); a symlinked file or subfolder that would be bundled is refused."""
    found = {}
    for entry in sorted(folder.iterdir()):
        name = f"{prefix}/{entry.name}"
        if entry.is_symlink() and (entry.suffix.lower() in suffixes or (recurse and entry.is_dir())):
            raise BuildError(f"{name} is a symlink; the release never follows one: put the file itself there")
        if recurse and entry.is_dir() and not entry.is_symlink():
            found.update(_folder_members(entry, name, suffixes, recurse))
        elif entry.suffix.lower() in suffixes and entry.name != outputs.MARKER and _member(entry, folder, name):
            found[name] = entry
    return found


def bundle_members(pkg: Package, charts_dir: Path | None, explicit_charts: bool) -> dict[str, Path]:
    """Archive name → file: the descriptor, every resource and schema it names, the licences, CITATION.cff and the
    CHANGELOG, and the report: the whole report folder (``summary.md``, ``index.html``, charts, tables, manifest)
    when ``charts_dir`` is the ``charts`` folder of a report folder this tool made, else the charts alone.

    Every member is a regular file inside the package (report: inside its folder); a symlink is refused
    (:class:`BuildError` naming it). The default report folder (``explicit_charts`` false) must lie inside the
    package. Names are relative to the bundle's top folder.
    """
    root = pkg.root
    members = {"datapackage.json": pkg.descriptor_path}
    for res in pkg.resources.values():
        members[res.relpath] = res.path
        schema_ref = res.descriptor.get("schema")
        if isinstance(schema_ref, str):
            members[schema_ref] = root / schema_ref
    for name, path in members.items():
        if not _member(path, root, name):
            raise BuildError(f"{name} does not exist")
    missing = [name for name in BUNDLE_FILES if not _member(root / name, root, name)]
    if missing:
        raise BuildError(f"the bundle needs these files beside {pkg.descriptor_path.name}:", missing)
    members.update({name: root / name for name in BUNDLE_FILES})
    if charts_dir is None:
        return members
    report_dir = charts_dir.parent
    if not explicit_charts:
        for folder in (report_dir, charts_dir):
            if folder.exists() and not folder.resolve().is_relative_to(root.resolve()):
                raise BuildError(f"the report folder {folder} lies outside the package (through a symlink)")
    if charts_dir.name == "charts" and report_dir.is_dir() and _is_report(report_dir):
        members.update(_folder_members(report_dir, "reports", REPORT_SUFFIXES, recurse=True))
    elif charts_dir.is_dir():
        members.update(_folder_members(charts_dir, "reports/charts", CHART_SUFFIXES, recurse=False))
    elif explicit_charts:
        raise BuildError(f"the charts folder {charts_dir} does not exist")
    return members


def bundle_sums(members: Mapping[str, bytes]) -> bytes:
    """``SHA256SUMS`` of the bundle: ``<hex>  <path>`` for every member but the markers of output folders."""
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {name}\n"
        for name, data in sorted(members.items())
        if PurePosixPath(name).name != outputs.MARKER
    ]
    return "".join(lines).encode("utf-8")


def write_zip(path: Path, members: Mapping[str, Path | bytes], epoch: int = FIXED_EPOCH) -> Path:
    """A reproducible zip: sorted entries, one fixed timestamp, mode 0644, deflate level 9, no extra fields."""
    stamp = time.gmtime(epoch)[:6]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # Unix, so the permission bits below are honoured everywhere
            info.external_attr = (0o100000 | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = members[name]
            zf.writestr(info, data if isinstance(data, bytes) else data.read_bytes(), compresslevel=ZIP_LEVEL)
    return path


# --- the wheel -------------------------------------------------------------------------------------------------


def build_wheel(out_dir: Path, project: Path, epoch: int = FIXED_EPOCH, scratch: Path | None = None) -> Path:
    """Build the wheel of ``project`` (its pyproject.toml and scripts/) from a clean copy (the tree is not touched),
    made in ``scratch`` (default: the system's temporary folder).

    Tries ``uv build --wheel``, then ``pip wheel`` (isolated, then with the installed setuptools); raises
    :class:`WheelError` with each front end's last words if none works.
    """
    if not (project / "pyproject.toml").is_file() or not (project / "scripts").is_dir():
        raise WheelError(f"cannot build the wheel: no pyproject.toml and scripts/ in {project}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="iwf-wheel-", dir=scratch) as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in WHEEL_SOURCES:
            if (project / name).is_file():
                shutil.copyfile(project / name, src / name)
        shutil.copytree(project / "scripts", src / "scripts", ignore=WHEEL_IGNORE)
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "PYTHONDONTWRITEBYTECODE": "1"}
        attempts: list[list[str]] = []
        uv = shutil.which("uv")
        if uv:
            attempts.append([uv, "build", "--wheel", "--quiet", "--python", sys.executable, "--out-dir"])
        pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check"]
        attempts += [[*pip, "--wheel-dir"], [*pip, "--no-build-isolation", "--wheel-dir"]]
        failures = []
        for i, cmd in enumerate(attempts):
            wheels = Path(tmp) / f"out{i}"
            try:
                proc = subprocess.run(
                    [*cmd, str(wheels), str(src)], env=env, capture_output=True, text=True, timeout=600, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                failures.append(f"{Path(cmd[0]).name} {cmd[1]}: {exc}")
                continue
            found = sorted(wheels.glob("*.whl")) if wheels.is_dir() else []
            if proc.returncode == 0 and len(found) == 1:
                target = out_dir / found[0].name
                shutil.move(found[0], target)
                return target
            last = (proc.stderr.strip() or proc.stdout.strip() or f"exit {proc.returncode}").splitlines()[-1]
            failures.append(f"{' '.join(Path(c).name for c in cmd[:3])}: {last}")
    raise WheelError("cannot build the wheel:", failures)


# --- checksums --------------------------------------------------------------------------------------------------


def write_sums(root: Path) -> Path:
    """``SHA256SUMS`` in ``sha256sum`` format (``<hex>  <path>``) for every other file under ``root``."""
    lines = [f"{sha256_file(p)}  {p.relative_to(root).as_posix()}\n" for p in outputs.files(root) if p.name != SUMS]
    path = root / SUMS
    path.write_text("".join(lines), encoding="utf-8")
    return path


# --- build -----------------------------------------------------------------------------------------------------


def name_problems(descriptor: Mapping[str, Any], resources: Iterable[str]) -> list[str]:
    """The package's ``name`` and ``version`` and the resource names that would not make safe file names.

    A name follows the Data Package rule (lower case ``a-z 0-9 . _ -``, not starting with a dot); a version holds
    letters, digits and ``. _ + -`` only; the longest file name made of them, ``<name>-<version>.zip``, has at most
    :data:`MAX_FILE_NAME` bytes. A missing name or version is not reported here.
    """
    problems = []
    rule = "use lower case a-z, 0-9, '.', '_' and '-', not starting with a dot"
    name, version = descriptor.get("name"), descriptor.get("version")
    if isinstance(name, str) and name and not NAME.fullmatch(name):
        problems.append(f"datapackage.json: 'name' {name!r} cannot be a file name: {rule}")
    if isinstance(version, str) and version and not VERSION.fullmatch(version):
        problems.append(
            f"datapackage.json: 'version' {version!r} cannot be part of a file name: "
            "use letters, digits, '.', '_', '+' and '-' only"
        )
    if not problems and isinstance(name, str) and isinstance(version, str):
        longest = f"{name}-{version}.zip"
        if len(longest.encode("utf-8")) > MAX_FILE_NAME:
            problems.append(
                f"datapackage.json: 'name' and 'version' make the file name {longest[:40]}... of {len(longest)} "
                f"bytes, over the limit of {MAX_FILE_NAME}"
            )
    longest_resource = MAX_FILE_NAME - len(".parquet")
    for i, res in enumerate(resources):
        if not NAME.fullmatch(res):
            problems.append(f"datapackage.json: resources[{i}].name {res!r} cannot be a file name: {rule}")
        elif len(res) > longest_resource:
            problems.append(
                f"datapackage.json: resources[{i}].name is {len(res)} characters, too long for a file name "
                f"(at most {longest_resource})"
            )
    return problems


def _preflight(pkg: Package) -> None:
    """What validation may not say but a release needs: honest hashes, BOM-less CSVs, a name and a version that
    make safe file names, as the resource names must."""
    problems = []
    for key in ("name", "version"):
        if not isinstance(pkg.descriptor.get(key), str) or not pkg.descriptor[key]:
            problems.append(f"datapackage.json: '{key}' is missing")
    problems += name_problems(pkg.descriptor, [res.name for res in pkg.resources.values()])
    if problems:
        raise BuildError("the package is not ready for release; nothing was built:", problems)
    for res in pkg.resources.values():
        if res.path.read_bytes().startswith(BOM):
            problems.append(f"{res.relpath}: starts with a byte-order mark; save it as UTF-8 without BOM")
        digest = f"sha256:{sha256_file(res.path)}"
        if res.descriptor.get("hash") != digest or res.descriptor.get("bytes") != res.path.stat().st_size:
            problems.append(f"{res.relpath}: hash or bytes in datapackage.json are stale (run: iraq-war-facts rehash)")
    if problems:
        raise BuildError("the package is not ready for release; nothing was built:", problems)


def build(
    dist_dir: Path,
    descriptor: str | os.PathLike[str],
    charts_dir: Path | None = None,
    *,
    sources_dir: str | os.PathLike[str] | None = None,
    project: Path | None = None,
) -> list[Path]:
    """Validate the package, then build every release output into ``dist_dir``; return the files written.

    ``charts_dir`` defaults to ``reports/charts`` beside the descriptor (bundled when present). ``sources_dir``
    also verifies citations before building. ``project`` is the folder whose wheel ships with the release
    (none without it). Raises :class:`BuildError` (nothing written) when the package is invalid or any output
    fails, :class:`~iraq_war_facts.errors.MissingDependency` when the release libraries are not installed.
    """
    from iraq_war_facts.validate import validate

    for module in ("pyarrow", "xlsxwriter"):
        require(module, "release")
    return release(validate(descriptor, sources_dir), dist_dir, charts_dir, project=project)


def _with_generated(report: Report, members: dict[str, bytes], info: dict[str, str], wheel: bool) -> dict[str, bytes]:
    """The bundle's members with the files it generates: the data dictionary, its README and ``SHA256SUMS``."""
    pkg = report.context.package
    generated = {docs.DICTIONARY: docs.data_dictionary(pkg).encode("utf-8")}
    clash = sorted(({*generated, "README.md", SUMS}) & set(members))
    if clash:
        raise BuildError("the package has files where the bundle writes its own; nothing was built:", clash)
    order = {
        name: i
        for i, name in enumerate(["README.md", "datapackage.json", *(r.relpath for r in pkg.resources.values())])
    }
    files = sorted([*members, *generated, "README.md"], key=lambda f: (order.get(f, len(order)), _bundle_order(f)))
    files = [f for f in files if PurePosixPath(f).name != outputs.MARKER]
    rows = {name: table.frame.height for name, table in report.context.tables.items()}
    sums = {res.relpath: hashlib.sha256(members[res.relpath]).hexdigest() for res in pkg.resources.values()}
    readme = docs.bundle_readme(pkg, files, rows, sums, info, wheel)
    out = {**members, **generated, "README.md": readme.encode("utf-8")}
    out[SUMS] = bundle_sums(out)
    return out


def _bundle_order(name: str) -> tuple[int, str]:
    """The order of the other files in the bundle README: schemas, docs, reports, then the rest."""
    ranks = ("schemas/", "docs/", "reports/")
    rank = next((i for i, r in enumerate(ranks) if name == r or (r.endswith("/") and name.startswith(r))), len(ranks))
    return rank, name


def release(
    report: Report, dist_dir: Path, charts_dir: Path | None = None, *, project: Path | None = None
) -> list[Path]:
    """Build every release output of an already validated package into ``dist_dir``; return the files written."""
    for module in ("pyarrow", "xlsxwriter"):
        require(module, "release")
    if not report.ok:
        raise BuildError("the package is not valid; nothing was built:", [p.text() for p in report.errors])
    pkg = report.context.package
    _preflight(pkg)
    tables = [report.context.tables[name] for name in pkg.resources]
    epoch = source_epoch()
    info = about(pkg)
    name, version = pkg.descriptor["name"], pkg.descriptor["version"]
    explicit_charts = charts_dir is not None
    paths = bundle_members(pkg, charts_dir if explicit_charts else pkg.root / "reports" / "charts", explicit_charts)
    try:  # read once: what was checked ships
        members = {arcname: read_regular(path, arcname, MAX_RESOURCE_BYTES) for arcname, path in paths.items()}
    except PackageError as exc:
        raise BuildError(f"cannot read a file of the bundle: {exc}") from None
    if any(arcname.startswith("reports/") for arcname in members):  # so that `report` may rebuild the unzipped bundle's
        members[f"reports/{outputs.MARKER}"] = outputs.marker_text("reports").encode("utf-8")
    changed = [
        res.relpath
        for res in pkg.resources.values()
        if res.descriptor.get("hash") != "sha256:" + hashlib.sha256(members[res.relpath]).hexdigest()
    ]
    if changed:
        raise BuildError("files changed while the build read them; nothing was built:", changed)
    members = _with_generated(report, members, info, wheel=project is not None)
    top = f"{name}-{version}"

    with outputs.replacing(dist_dir, "release", pkg) as staging:
        tmp = staging.folder
        try:
            exports.write_parquet(tables, tmp / "parquet", info)
            exports.write_sqlite(tables, tmp / f"{name}.sqlite", info)
            exports.write_datasette_metadata(tables, tmp / f"{name}.metadata.json", datasette_about(pkg))
            exports.write_xlsx(tables, tmp / f"{name}.xlsx", info, _created(pkg, epoch))
            exports.write_json(tables, tmp / "json")
        except exports.ExportError as exc:
            raise BuildError("an export failed; nothing was replaced:", str(exc).splitlines()) from exc
        write_zip(tmp / f"{top}.zip", {f"{top}/{arcname}": data for arcname, data in members.items()}, epoch)
        if project is not None:
            build_wheel(tmp, project, epoch, scratch=staging.scratch)
        write_sums(tmp)
        written = [Path(dist_dir).absolute() / p.relative_to(tmp) for p in outputs.files(tmp)]
    return written
