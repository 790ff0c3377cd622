"""The release build: refuses invalid packages, replaces dist/ only when complete, is reproducible, and every
format reads back to the CSV rows exactly."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import time
import tomllib
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

import helpers
from conftest import ROOT
from helpers import snapshot
from iraq_war_facts import exports
from iraq_war_facts.build import BUNDLE_FILES, SUMS, BuildError, build, source_epoch
from iraq_war_facts.docs import DICTIONARY, data_dictionary
from iraq_war_facts.outputs import MARKER
from iraq_war_facts.package import Package, Resource, sha256_file

pytestmark = pytest.mark.slow(10)  # seconds, roughly: the order in which workers take the slow files

ARABIC = re.compile(r"[\u0600-\u06ff]")
DESCRIPTOR = ROOT / "datapackage.json"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


# --- helpers ---------------------------------------------------------------------------------------------------


def copy_package(dest: Path) -> Path:
    """A copy of the package (descriptor, data, schemas, docs) that a test may break."""
    return helpers.copy_package(dest, BUNDLE_FILES)


def pk_of(res: Resource) -> list[str]:
    key = res.schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def typed(field: dict[str, Any], text: str) -> Any:
    """A CSV cell as the value its Table Schema type means (None for an empty cell)."""
    if text == "":
        return None
    kind = field.get("type", "string")
    if kind == "integer":
        return int(text)
    if kind == "number":
        return Decimal(text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text


def csv_rows(res: Resource) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The CSV rows keyed by primary key, read with the csv module (not the code under test)."""
    fields = {f["name"]: f for f in res.fields}
    with res.path.open(encoding="utf-8", newline="") as fh:
        rows = [{k: typed(fields[k], v) for k, v in row.items()} for row in csv.DictReader(fh)]
    keyed = {tuple(r[k] for k in pk_of(res)): r for r in rows}
    assert len(keyed) == len(rows), res.name
    return keyed


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def same(expected: Any, got: Any) -> bool:
    """Equal values of the same kind: a number equals its decimal exactly, a date its date."""
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, Decimal):  # exact: 3e21 must not come back as 2.9999...e21
        return (
            isinstance(got, int | float | Decimal)
            and not isinstance(got, bool)
            and Decimal(repr(got) if isinstance(got, float) else got) == expected
        )
    if isinstance(expected, dt.date) and isinstance(got, dt.datetime):
        return got.time() == dt.time(0) and got.date() == expected
    return type(got) is type(expected) and got == expected


def assert_same_rows(res: Resource, rows: list[dict[str, Any]], convert: Any = None) -> None:
    """``rows`` (from some format) hold exactly the CSV's rows, fields and values."""
    expected = csv_rows(res)
    assert len(rows) == len(expected), res.name
    names = [f["name"] for f in res.fields]
    for row in rows:
        if convert:
            row = {k: convert(res.field(k), v) for k, v in row.items()}
        assert list(row) == names or sorted(row) == sorted(names), res.name
        key = tuple(row[k] for k in pk_of(res))
        want = expected.pop(key)
        bad = {k: (want[k], row[k]) for k in names if not same(want[k], row[k])}
        assert not bad, f"{res.name} {key}: {bad}"
    assert not expected


# --- fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builds(releases: tuple[Path, Path, list[Path], bool]) -> tuple[Path, Path, list[Path], bool]:
    return releases


@pytest.fixture(scope="module")
def dist(builds: tuple[Path, Path, list[Path], bool]) -> Path:
    return builds[0]


# --- refusal and atomicity -------------------------------------------------------------------------------------


def test_invalid_package_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    troops = descriptor.parent / "data" / "troops.csv"
    lines = troops.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("paragraph")] = "three"
    with troops.open("w", encoding="utf-8", newline="") as fh:
        fh.write(lines[0] + "\n")
        csv.writer(fh, lineterminator="\n").writerow(cells)
        fh.write("\n".join(lines[2:]))
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "previous.txt").write_text("kept")
    with pytest.raises(BuildError) as info:
        build(dist, descriptor)
    assert "not valid" in str(info.value)
    assert any(p.startswith("data/troops.csv:2:") and "'three'" in p for p in info.value.problems)
    assert snapshot(dist) == {"previous.txt": b"kept"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "pkg"]


def test_stale_hashes_are_refused(tmp_path: Path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][1]["hash"] = "sha256:" + "0" * 64
    descriptor.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build(tmp_path / "dist", descriptor)
    assert "hash" in str(info.value) and "codebook" in str(info.value)
    assert not (tmp_path / "dist").exists()


def test_a_csv_with_a_bom_is_refused(tmp_path: Path) -> None:
    from iraq_war_facts.descriptor import rehash

    descriptor = copy_package(tmp_path / "pkg")
    codebook = descriptor.parent / "data" / "codebook.csv"
    codebook.write_bytes(b"\xef\xbb\xbf" + codebook.read_bytes())
    rehash(descriptor)
    with pytest.raises(BuildError) as info:
        build(tmp_path / "dist", descriptor)
    assert "data/codebook.csv" in str(info.value)
    assert not (tmp_path / "dist").exists()


def test_zip_timestamps_follow_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from iraq_war_facts.build import write_zip

    member = tmp_path / "a.txt"
    member.write_text("a")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_epoch() == 315532800  # 1980-01-01T00:00:00Z
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795219200")  # 2026-11-21T00:00:00Z
    write_zip(tmp_path / "x.zip", {"a.txt": member}, source_epoch())
    with zipfile.ZipFile(tmp_path / "x.zip") as zf:
        assert zf.getinfo("a.txt").date_time == (2026, 11, 21, 0, 0, 0)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # zip cannot record a time before 1980
    assert source_epoch() == 315532800


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()], ids=["error", "interrupt"])
def test_a_failing_writer_leaves_the_previous_outputs_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    dist = tmp_path / "dist"
    build(dist, DESCRIPTOR)
    before = snapshot(dist)
    assert "iraq-war-facts.xlsx" in before

    def broken_xlsx(tables: Any, path: Path, *args: Any) -> Path:
        path.write_bytes(b"PK\x03\x04 half a workbook")
        raise error

    monkeypatch.setattr(exports, "write_xlsx", broken_xlsx)
    with pytest.raises(type(error)):
        build(dist, DESCRIPTOR)
    assert snapshot(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.lock", "dist"], "temporary folders were left behind"


# --- the release as a whole ------------------------------------------------------------------------------------


def test_dist_holds_every_output_and_nothing_else(dist: Path, builds: tuple[Path, Path, list[Path], bool], pkg) -> None:
    names = sorted(snapshot(dist))
    tables = list(pkg.resources)
    expected = sorted(
        [
            SUMS,
            "iraq-war-facts-0.1.0.zip",
            "iraq-war-facts.metadata.json",
            "iraq-war-facts.sqlite",
            "iraq-war-facts.xlsx",
            "iraq_war_facts-0.1.0-py3-none-any.whl",
            *(f"json/{t}.json" for t in tables),
            *(f"parquet/{t}.parquet" for t in tables),
        ]
    )
    assert names == sorted([*expected, MARKER]), "the release and the marker that this tool made the folder"
    assert sorted(p.relative_to(dist).as_posix() for p in builds[2]) == expected
    for path in dist.rglob("*"):
        assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path


def test_two_builds_are_byte_identical(builds: tuple[Path, Path, list[Path], bool]) -> None:
    first, second, _, stable = builds
    if not stable:
        pytest.skip("scripts/ was edited during every pair of builds, so they cannot be compared")
    a, b = snapshot(first), snapshot(second)
    assert a.keys() == b.keys()
    differ = [name for name in a if a[name] != b[name]]
    assert not differ, f"not reproducible: {differ}"


def test_sha256sums_covers_every_file(dist: Path) -> None:
    lines = (dist / SUMS).read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        m = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line)
        assert m, line
        listed[m[2]] = m[1]
    assert list(listed) == sorted(listed)
    assert set(listed) == set(snapshot(dist)) - {SUMS, MARKER}
    for name, digest in listed.items():
        assert sha256_file(dist / name) == digest, name
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--check", "--quiet", SUMS], cwd=dist, check=True)


# --- the zipped data package -----------------------------------------------------------------------------------

TOP = "iraq-war-facts-0.1.0/"


@pytest.fixture(scope="module")
def unzipped(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle unzipped: its one top-level folder."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(dist / "iraq-war-facts-0.1.0.zip") as zf:
        zf.extractall(target)
    assert [p.name for p in target.iterdir()] == [TOP.rstrip("/")]
    return target / TOP.rstrip("/")


def test_bundle_is_deterministic_and_complete(dist: Path, pkg: Package) -> None:
    with zipfile.ZipFile(dist / "iraq-war-facts-0.1.0.zip") as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert all(name.startswith(TOP) for name in names), "one top-level folder, named with the version"
        for info in infos:
            assert info.date_time == time.gmtime(source_epoch())[:6], info.filename  # 1980-01-01 unless set
            assert info.external_attr >> 16 == 0o100644, info.filename  # regular files: no symlink, no folder entry
            assert info.compress_type == zipfile.ZIP_DEFLATED, info.filename
            assert not info.extra, info.filename
        inside = [name.removeprefix(TOP) for name in names]
        copied = {"datapackage.json", *BUNDLE_FILES, DICTIONARY}
        for res in pkg.resources.values():
            copied |= {res.relpath, res.descriptor["schema"]}
        report = {p.relative_to(ROOT).as_posix() for p in (ROOT / "reports").rglob("*") if p.is_file()}
        assert f"reports/{MARKER}" in report, "the committed report folder is one this tool made"
        assert set(inside) == copied | report | {"README.md", SUMS}
        for name in copied | report:
            assert zf.read(TOP + name) == (ROOT / name).read_bytes(), name
        for res in pkg.resources.values():
            data = zf.read(TOP + res.relpath)
            assert not data.startswith(b"\xef\xbb\xbf"), f"{res.relpath} has a BOM"
            assert res.descriptor["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_bundle_readme_tells_a_downloader_what_each_file_is(unzipped: Path, pkg: Package) -> None:
    readme = (unzipped / "README.md").read_text(encoding="utf-8")
    d = pkg.descriptor
    assert readme.startswith(f"# {d['title']}\n") and "Version 0.1.0" in readme
    listed = re.findall(r"^\| `([^`]+)`", readme, flags=re.M)
    files = {p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*") if p.is_file() and p.name != MARKER}
    folders = {name for name in listed if name.endswith("/")}
    assert {f for f in files if not any(f.startswith(folder) for folder in folders)} <= set(listed)
    assert all(any(f.startswith(folder) for f in files) for folder in folders)
    for res in pkg.resources.values():
        assert f"| `{res.relpath}` | {res.descriptor['title']}: " in readme, res.name
        assert f"| `{res.relpath}` | `{res.descriptor['hash'].removeprefix('sha256:')}` |" in readme
    for name in ("iraq-war-facts.xlsx", "iraq-war-facts.sqlite", "iraq-war-facts.metadata.json"):
        assert f"`{name}`" in readme, name
    assert "datasette iraq-war-facts.sqlite --metadata iraq-war-facts.metadata.json" in readme
    assert "frictionless validate datapackage.json" in readme and "sha256sum -c SHA256SUMS" in readme
    assert d["licenses"][0]["path"] in readme and "`LICENSE-DATA`" in readme
    assert "iraq-war-facts contributors (2026)." in readme and "## How to cite" in readme
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", readme)
    for target in (t for t in links if not t.startswith("https://")):
        assert (unzipped / target).is_file(), f"the README links to {target}, which is not in the bundle"


def test_bundle_checksums_hold(unzipped: Path) -> None:
    lines = (unzipped / SUMS).read_text(encoding="utf-8").splitlines()
    listed = dict(reversed(line.split("  ", 1)) for line in lines)
    files = {p.relative_to(unzipped).as_posix() for p in unzipped.rglob("*") if p.is_file()}
    assert set(listed) == files - {SUMS, f"reports/{MARKER}"}
    for name, digest in listed.items():
        assert sha256_file(unzipped / name) == digest, name
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--check", "--quiet", SUMS], cwd=unzipped, check=True)


def test_unzipped_bundle_validates(unzipped: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from iraq_war_facts.cli import main

    monkeypatch.chdir(unzipped)
    assert main(["validate"]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.splitlines()[0] == "checking ./datapackage.json"


def test_unzipped_bundle_passes_the_official_validator(unzipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    frictionless = pytest.importorskip("frictionless")
    monkeypatch.chdir(unzipped)
    report = frictionless.validate("datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


def test_the_bundle_data_dictionary_is_the_current_one(unzipped: Path, pkg: Package) -> None:
    assert (unzipped / DICTIONARY).read_text(encoding="utf-8") == data_dictionary(pkg)


def test_charts_alone_are_bundled_from_a_folder_that_is_not_a_report(tmp_path: Path) -> None:
    charts = tmp_path / "charts"
    charts.mkdir()
    (charts / "troops.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (charts / "costs.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (charts / "notes.txt").write_text("not a chart")
    build(tmp_path / "dist", DESCRIPTOR, charts)
    with zipfile.ZipFile(tmp_path / "dist" / "iraq-war-facts-0.1.0.zip") as zf:
        bundled = [n.removeprefix(TOP) for n in zf.namelist() if n.startswith(f"{TOP}reports/")]
        assert bundled == [f"reports/{MARKER}", "reports/charts/costs.png", "reports/charts/troops.svg"]
        assert zf.read(f"{TOP}reports/charts/costs.png") == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(BuildError, match="does not exist"):
        build(tmp_path / "dist", DESCRIPTOR, tmp_path / "nowhere")


def test_a_symlink_anywhere_in_the_report_is_refused(tmp_path: Path) -> None:
    from iraq_war_facts.build import bundle_members
    from iraq_war_facts.outputs import marker_text
    from iraq_war_facts.package import load

    descriptor = copy_package(tmp_path / "pkg")
    reports = descriptor.parent / "reports"
    (reports / "charts").mkdir(parents=True)
    (reports / MARKER).write_text(marker_text("reports"), encoding="utf-8")
    (reports / "summary.md").write_text("# Report\n", encoding="utf-8")
    (reports / "charts" / "troops-en.png").write_bytes(b"\x89PNG")
    (reports / "notes.txt").write_text("not part of a report", encoding="utf-8")
    members = bundle_members(load(descriptor), reports / "charts", False)
    assert {n for n in members if n.startswith("reports/")} == {"reports/summary.md", "reports/charts/troops-en.png"}
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n", encoding="utf-8")
    (reports / "tables").mkdir()
    (reports / "tables" / "summary.csv").symlink_to(secret)
    with pytest.raises(BuildError, match=r"reports/tables/summary\.csv is a symlink"):
        bundle_members(load(descriptor), reports / "charts", False)
    (reports / "tables" / "summary.csv").unlink()
    (reports / "tables").rmdir()
    (reports / "tables").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(BuildError, match=r"reports/tables is a symlink"):
        bundle_members(load(descriptor), reports / "charts", False)


def test_a_package_file_where_the_bundle_writes_its_own_is_refused(tmp_path: Path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    (descriptor.parent / "data" / "codebook.csv").rename(descriptor.parent / "README.md")
    data["resources"][1]["path"] = "README.md"
    descriptor.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    with pytest.raises(BuildError) as refused:
        build(tmp_path / "dist", descriptor)
    assert refused.value.problems == ["README.md"]
    assert not (tmp_path / "dist").exists()


# --- each format reads back to the CSVs ------------------------------------------------------------------------


def test_parquet_reads_back_to_the_csvs(dist: Path, pkg: Package) -> None:
    for res in pkg.resources.values():
        table = pq.read_table(dist / "parquet" / f"{res.name}.parquet")
        assert table.column_names == res.field_names
        for f in res.fields:
            kind = f.get("type", "string")
            want = {"integer": pa.int64(), "number": pa.float64(), "date": pa.date32()}.get(kind, pa.string())
            assert table.schema.field(f["name"]).type == want, (res.name, f["name"])
        meta = table.schema.metadata
        assert meta[b"license"] == b"CC-BY-4.0" and meta[b"resource"] == res.name.encode()
        assert_same_rows(res, table.to_pylist())


def test_sqlite_reads_back_to_the_csvs(dist: Path, pkg: Package) -> None:
    con = read_only(dist / "iraq-war-facts.sqlite")
    con.row_factory = sqlite3.Row

    def from_sql(field: dict[str, Any], value: Any) -> Any:
        return dt.date.fromisoformat(value) if field.get("type") == "date" and value is not None else value

    for res in pkg.resources.values():
        rows = [dict(r) for r in con.execute(f'SELECT * FROM "{res.name}"')]
        assert_same_rows(res, rows, from_sql)
    info = dict(con.execute("SELECT key, value FROM package_info").fetchall())
    assert info["version"] == "0.1.0" and info["license"] == "CC-BY-4.0"


def test_sqlite_declares_keys_and_types_and_they_hold(dist: Path, pkg: Package, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"  # the enforcement checks below try writes: use a copy
    shutil.copy(dist / "iraq-war-facts.sqlite", copy)
    con = sqlite3.connect(copy)
    con.execute("PRAGMA foreign_keys = ON")
    assert con.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    sql_types = {"integer": "INTEGER", "number": "NUMERIC"}  # NUMERIC: a whole number is stored as an integer
    for res in pkg.resources.values():
        cols = con.execute(f'PRAGMA table_info("{res.name}")').fetchall()
        assert [c[1] for c in cols] == res.field_names
        assert [c[2] for c in cols] == [sql_types.get(f.get("type", "string"), "TEXT") for f in res.fields]
        pk = sorted((c[5], c[1]) for c in cols if c[5])
        assert [name for _, name in pk] == pk_of(res), res.name
        declared = {
            (row[2], row[3], row[4]) for row in con.execute(f'PRAGMA foreign_key_list("{res.name}")').fetchall()
        }
        wanted = set()
        for fk in res.schema.get("foreignKeys", []):
            ref = fk["reference"]
            fields, ref_fields = fk["fields"], ref["fields"]
            for a, b in zip(
                [fields] if isinstance(fields, str) else fields,
                [ref_fields] if isinstance(ref_fields, str) else ref_fields,
                strict=True,
            ):
                wanted.add((ref.get("resource") or res.name, a, b))
        assert declared == wanted, res.name
    assert ("codebook", "parent", "code") in {
        (r[2], r[3], r[4]) for r in con.execute('PRAGMA foreign_key_list("codebook")')
    }, "the codebook's self-reference is declared"
    rows = con.execute('SELECT fact_id FROM "troops"').fetchall()
    assert rows == sorted(rows), "rows are written in primary-key order"
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE troops SET source_id = 'src-999' WHERE rowid = 1")
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE codebook SET parent = 'no_such_code' WHERE rowid = 1")


def test_sqlite_stores_whole_numbers_as_integers(dist: Path, pkg: Package) -> None:
    """Whole figures are stored as integers (150000, not 150000.0); other numbers, and whole numbers too large for
    64 bits, as floating point; empty cells as NULL."""
    con = read_only(dist / "iraq-war-facts.sqlite")
    seen = set()
    for res in pkg.resources.values():
        for name in (f["name"] for f in res.fields if f.get("type") in ("integer", "number")):
            for value, kind in con.execute(f'SELECT "{name}", typeof("{name}") FROM "{res.name}"'):
                whole = value is not None and float(value).is_integer() and abs(value) < 2**63
                assert kind == ("null" if value is None else "integer" if whole else "real"), (res.name, name, value)
                seen.add(kind)
    assert seen == {"integer", "real", "null"}
    assert con.execute("SELECT typeof(value) FROM troops WHERE value = 160000").fetchone() == ("integer",)
    assert con.execute("SELECT typeof(literal_value) FROM costs WHERE literal_value > 1e20").fetchone() == ("real",)


def test_sqlite_dump_is_stable(builds: tuple[Path, Path, list[Path], bool]) -> None:
    """Byte identity is checked above; the dump is the fallback comparison for other SQLite versions."""
    dumps = []
    for folder in builds[:2]:
        con = read_only(folder / "iraq-war-facts.sqlite")
        dumps.append("\n".join(con.iterdump()))
        con.close()
    assert dumps[0] == dumps[1]


def test_xlsx_reads_back_to_the_csvs(dist: Path, pkg: Package) -> None:
    book = openpyxl.load_workbook(dist / "iraq-war-facts.xlsx")
    assert book.sheetnames == ["README", "Data dictionary", *pkg.resources]
    assert book.properties.created == dt.datetime(2026, 11, 21)
    assert book.properties.creator == "iraq-war-facts contributors"
    arabic_cells = 0
    for res in pkg.resources.values():
        sheet = book[res.name]
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == res.field_names
        assert all(cell.font.b for cell in sheet[1]), "header row is bold"
        assert sheet.freeze_panes == "A2", "header row is frozen"
        rows = [dict(zip(res.field_names, row, strict=True)) for row in values[1:]]
        assert_same_rows(res, rows)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and ARABIC.search(cell.value):
                    arabic_cells += 1
                    assert cell.alignment.readingOrder == 2, "Arabic cells read right to left"
    assert arabic_cells > 100


def test_xlsx_has_a_readme_and_a_dictionary_sheet(dist: Path, pkg: Package) -> None:
    book = openpyxl.load_workbook(dist / "iraq-war-facts.xlsx")
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True) if row[0]}
    d = pkg.descriptor
    assert readme["Title"] == d["title"] and readme["Version"] == d["version"]
    assert readme["Description"] == d["description"]
    assert "CC-BY-4.0" in readme["Licence"] and d["licenses"][0]["path"] in readme["Licence"]
    assert d["title"] in readme["How to cite"] and d["version"] in readme["How to cite"]
    assert readme["Homepage"] == d["homepage"]
    for name, res in pkg.resources.items():
        assert readme[name] == f"{res.descriptor['title']}: {res.descriptor['description']}", name
    assert book["README"]["B2"].alignment.wrap_text, "long text wraps"

    sheet = book["Data dictionary"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("table", "column", "type", "required", "code list", "description")
    assert sheet.freeze_panes == "A2" and all(cell.font.b for cell in sheet[1])
    expected = [
        (
            res.name,
            f["name"],
            f.get("type", "string"),
            "yes" if f.get("constraints", {}).get("required") or f["name"] in pk_of(res) else None,
            f.get("codelist"),
            f.get("description"),
        )
        for res in pkg.resources.values()
        for f in res.fields
    ]
    assert rows[1:] == expected


def test_xlsx_numbers_have_separators_and_long_text_wraps(dist: Path, pkg: Package) -> None:
    book = openpyxl.load_workbook(dist / "iraq-war-facts.xlsx")
    troops = book["troops"]
    header = [c.value for c in troops[1]]
    first = {name: troops.cell(row=2, column=i + 1) for i, name in enumerate(header)}
    assert first["value"].value == 150000 and first["value"].number_format == "#,##0"
    assert first["paragraph"].number_format == "#,##0"
    displacement = book["displacement"]
    header = [c.value for c in displacement[1]]
    values = [row[header.index("value")] for row in displacement.iter_rows(min_row=2)]
    share = next(c for c in values if c.value == 5.5)
    assert share.number_format == "#,##0.0##########", "a fraction keeps its decimals, with separators"
    for name in ("quote", "quote_en", "note"):  # text longer than a column is wide wraps
        assert first[name].alignment.wrap_text, name
    for name in ("fact_id", "metric", "value", "as_of"):
        assert not first[name].alignment.wrap_text, name
    assert first["quote"].alignment.readingOrder == 2, "Arabic still reads right to left when wrapped"


def test_xlsx_is_deterministic_inside(dist: Path) -> None:
    with zipfile.ZipFile(dist / "iraq-war-facts.xlsx") as zf:
        assert {i.date_time for i in zf.infolist()} == {ZIP_EPOCH}
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-21T00:00:00Z</dcterms:created>' in core


def test_json_reads_back_to_the_csvs(dist: Path, pkg: Package) -> None:
    def from_json(field: dict[str, Any], value: Any) -> Any:
        if field.get("type") == "date" and value is not None:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
            return dt.date.fromisoformat(value)
        return value

    for res in pkg.resources.values():
        raw = (dist / "json" / f"{res.name}.json").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8")
        assert "\\u06" not in text, "Arabic is written as text, not escapes"
        rows = json.loads(text, parse_float=Decimal)  # numbers compared as written, without a float in between
        assert all(list(row) == res.field_names for row in rows), "keys in the schema's field order"
        assert_same_rows(res, rows, from_json)


def test_arabic_text_survives_every_format(dist: Path, pkg: Package) -> None:
    """A spot check by eye-readable values: the codebook's Arabic labels and the first quote of each fact table."""
    codebook = csv_rows(pkg.resources["codebook"])
    label = next(r for r in codebook.values() if r["label_ar"])
    con = read_only(dist / "iraq-war-facts.sqlite")
    assert con.execute("SELECT label_ar FROM codebook WHERE code = ?", (label["code"],)).fetchone() == (
        label["label_ar"],
    )
    quote = next(iter(csv_rows(pkg.resources["troops"]).values()))
    assert ARABIC.search(quote["quote"])
    records = json.loads((dist / "json" / "troops.json").read_text(encoding="utf-8"))
    assert quote["quote"] in {r["quote"] for r in records}
    assert quote["quote"] in pq.read_table(dist / "parquet" / "troops.parquet").column("quote").to_pylist()
    col = pkg.resources["troops"].field_names.index("quote") + 1
    book = openpyxl.load_workbook(dist / "iraq-war-facts.xlsx", read_only=True)
    assert quote["quote"] in {row[0] for row in book["troops"].iter_rows(min_col=col, max_col=col, values_only=True)}


def test_nulls_are_preserved(dist: Path, pkg: Package) -> None:
    res = pkg.resources["casualties"]
    rows = csv_rows(res)
    empty_value = [key for key, r in rows.items() if r["value"] is None]
    assert empty_value, "the data has facts without a central value"
    con = read_only(dist / "iraq-war-facts.sqlite")
    for (fact_id,) in empty_value:
        assert con.execute("SELECT value FROM casualties WHERE fact_id = ?", (fact_id,)).fetchone() == (None,)
    records = {r["fact_id"]: r for r in json.loads((dist / "json" / "casualties.json").read_text(encoding="utf-8"))}
    assert all("value" in records[k] and records[k]["value"] is None for (k,) in empty_value)


# --- the wheel and the citation metadata -----------------------------------------------------------------------


def test_wheel_carries_the_package_code_only(dist: Path) -> None:
    with zipfile.ZipFile(dist / "iraq_war_facts-0.1.0-py3-none-any.whl") as zf:
        names = zf.namelist()
        entry_points = zf.read("iraq_war_facts-0.1.0.dist-info/entry_points.txt").decode()
        metadata = zf.read("iraq_war_facts-0.1.0.dist-info/METADATA").decode()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"iraq_war_facts", "iraq_war_facts-0.1.0.dist-info"}
    for module in ("validate.py", "package.py", "reading.py", "cli.py", "checks/schema.py", "checks/citations.py"):
        assert f"iraq_war_facts/{module}" in names
    assert not [n for n in names if n.endswith((".csv", ".pyc")) or "tests/" in n]
    assert "iraq-war-facts = iraq_war_facts.cli:main" in entry_points
    assert "Requires-Dist: polars" in metadata and "Requires-Dist: pandera" in metadata


def _words(text: str) -> list[str]:
    return text.split()


CFF_ROOT_KEYS = _words(
    "abstract authors cff-version commit contact date-released doi identifiers keywords license license-url message "
    "preferred-citation references repository repository-artifact repository-code title type url version"
)
CFF_REFERENCE_KEYS = _words(
    "abbreviation abstract authors collection-doi collection-title collection-type commit conference contact "
    "copyright data-type database database-provider date-accessed date-downloaded date-published date-released "
    "department doi edition editors editors-series end entry filename format identifiers institution isbn issn "
    "issue issue-date issue-title journal keywords languages license license-url loc-end loc-start location medium "
    "month nihmsid notes number number-volumes pages patent-states pmcid publisher recipients repository "
    "repository-artifact repository-code scope section senders start status term thesis-type title translators "
    "type url version volume volume-title year year-original"
)
CFF_REFERENCE_TYPES = _words(
    "art article audiovisual bill blog book catalogue conference-paper conference data database dictionary "
    "edited-work encyclopedia film-broadcast generic government-document grant hearing historical-work legal-case "
    "legal-rule magazine-article manual map multimedia music newspaper-article pamphlet patent "
    "personal-communication proceedings report serial slides software-code software-container software-executable "
    "software-virtual-machine software sound-recording standard statute thesis unpublished video website"
)
_TEXT = {"type": "string", "minLength": 1}
_ENTITY = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": _TEXT, "website": {"type": "string", "pattern": "^(https|http|ftp|sftp)://.+"}},
}
_IDENTIFIER = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "value"],
    "properties": {"type": {"enum": ["doi", "url", "swh", "other"]}, "value": _TEXT, "description": _TEXT},
}
_REFERENCE = {
    "type": "object",
    "additionalProperties": False,
    "required": ["authors", "title", "type"],
    "properties": {
        **{key: {} for key in CFF_REFERENCE_KEYS},
        "type": {"enum": CFF_REFERENCE_TYPES},
        "title": _TEXT,
        "authors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _ENTITY},
        "publisher": _ENTITY,
        "identifiers": {"type": "array", "minItems": 1, "items": _IDENTIFIER},
        "languages": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2,3}$"}},
        "year": {"type": "integer"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "notes": _TEXT,
        "scope": _TEXT,
    },
}
CFF_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema",
    "title": "The keys of Citation File Format 1.2.0 that this package uses, with their types",
    "type": "object",
    "additionalProperties": False,
    "required": ["authors", "cff-version", "message", "title"],
    "properties": {
        **{key: {} for key in CFF_ROOT_KEYS},
        "cff-version": {"type": "string", "pattern": r"^1\.2\.0$"},
        "type": {"enum": ["dataset", "software"]},
        "message": _TEXT,
        "title": _TEXT,
        "abstract": _TEXT,
        "version": _TEXT,
        "license": {"type": "string", "pattern": r"^[A-Za-z0-9.+-]+$"},
        "date-released": {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])$"},
        "authors": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _ENTITY},
        "keywords": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _TEXT},
        "references": {"type": "array", "minItems": 1, "uniqueItems": True, "items": _REFERENCE},
        "repository-code": {"type": "string", "pattern": "^(https|http|ftp|sftp)://.+"},
        "url": {"type": "string", "pattern": "^(https|http|ftp|sftp)://.+"},
    },
}


def test_citation_cff_is_valid_and_cites_the_five_articles(pkg: Package) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    cff = yaml.safe_load(text)
    jsonschema.validate(cff, CFF_SCHEMA)
    d = pkg.descriptor
    assert cff["type"] == "dataset"
    assert cff["title"] == d["title"]
    assert str(cff["version"]) == d["version"]
    assert cff["license"] == "CC-BY-4.0" == d["licenses"][0]["name"]
    assert cff["authors"] == [{"name": "iraq-war-facts contributors"}]
    assert cff["keywords"] == d["keywords"]
    assert cff["date-released"] == d["created"][:10]
    sources = csv_rows(pkg.resources["sources"])
    refs = cff["references"]
    assert len(refs) == len(sources)
    for ref, ((source_id,), src) in zip(refs, sorted(sources.items()), strict=True):
        assert ref["identifiers"][0]["value"] == f"sha256:{src['text_sha256']}", source_id
        assert source_id in ref["scope"] and "come from this article" in ref["scope"]
        assert ref["languages"] == [src["language"]]
        if src["headline"]:
            assert ref["title"] == src["headline"]
        if src["publisher"]:
            assert ref["publisher"] == {"name": src["publisher"]}
        else:
            assert "publisher" not in ref


def test_changelog_and_versions_agree(pkg: Package) -> None:
    import iraq_war_facts

    version = pkg.descriptor["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, flags=re.M)
    assert releases and releases[0] == (version, pkg.descriptor["created"][:10])
    assert "## [Unreleased]" in changelog and "keepachangelog.com" in changelog
    for column in ("correction_id", "fact_id", "field", "old_value", "new_value", "date", "version", "reason"):
        assert f"`{column}`" in changelog
    assert "data/corrections.csv" in changelog
    assert iraq_war_facts.__version__ == version, "scripts/iraq_war_facts/__init__.py must carry the data's version"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "iraq_war_facts.__version__"}
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert (str(cff["version"]), cff["date-released"]) == (version, pkg.descriptor["created"][:10])
    assert f"[{version}]: https://github.com/iraq-war-facts/iraq-war-facts/releases/tag/v{version}" in changelog
    releasing = (ROOT / "docs" / "releasing.md").read_text(encoding="utf-8")
    for place in ("datapackage.json", "scripts/iraq_war_facts/__init__.py", "CITATION.cff", "CHANGELOG.md"):
        assert f"`{place}`" in releasing, f"docs/releasing.md says how {place} follows the version"


def test_the_release_workflow_builds_on_a_version_tag_and_publishes_every_file() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    trigger = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert trigger["push"]["tags"] == ["v*"]
    assert workflow["permissions"] == {"contents": "write"}
    [job] = workflow["jobs"].values()
    steps = job["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any("-s ci" in r for r in runs) and any("-s build" in r for r in runs), "the checks, then the build"
    check = next(i for i, r in enumerate(runs) if "GITHUB_REF_NAME" in r and "datapackage.json" in r)
    build = next(i for i, r in enumerate(runs) if "-s build" in r)
    publish = next(i for i, r in enumerate(runs) if "gh release create" in r)
    assert check < build < publish, "the tag must match the version before anything is built or published"
    assert "SHA256SUMS" in runs[publish] and "dist/" in runs[publish]
    assert steps[publish]["env"]["GH_TOKEN"] == "${{ github.token }}"


def test_community_files_parse() -> None:
    template = (ROOT / ".github" / "ISSUE_TEMPLATE" / "wrong-number.md").read_text(encoding="utf-8")
    front = yaml.safe_load(template.split("---")[1])
    assert front["name"] and front["about"]
    for heading in ("fact_id", "What the quote says", "What it should be", "Evidence"):
        assert heading in template
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "tools/bootstrap.py -s ci" in runs  # the checks are the session ci, then the release (tests/test_ci.py)
    assert "IWF_REQUIRE_SOURCES" not in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for family in ("schema", "hygiene", "rules", "relations", "citations", "completeness"):
        assert f"### {family}" in contributing, family


# --- command line ----------------------------------------------------------------------------------------------


def test_command_line_builds_and_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from iraq_war_facts.cli import main

    assert main(["build", str(DESCRIPTOR), "--dist", str(tmp_path / "dist"), "--no-wheel"]) == 0
    out = capsys.readouterr().out
    assert "iraq-war-facts-0.1.0.zip" in out and "SHA256SUMS" in out and "no wheel" not in out
    assert (tmp_path / "dist" / "iraq-war-facts-0.1.0.zip").is_file()
    descriptor = copy_package(tmp_path / "pkg")
    sources = descriptor.parent / "data" / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace(",ar,", ",xx-bad,", 1), encoding="utf-8")
    assert main(["build", str(descriptor), "--dist", str(tmp_path / "dist2"), "--no-wheel"]) == 1
    assert "nothing was built" in capsys.readouterr().err
    assert not (tmp_path / "dist2").exists()
    assert main(["build", str(tmp_path / "missing.json"), "--dist", str(tmp_path / "dist3")]) == 2
    assert "no such descriptor file" in capsys.readouterr().err
