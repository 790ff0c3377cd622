"""Every write confined: an output folder is never the package, its data, the current folder or a folder this tool
did not make; nothing is written through a symlink; temporary folders live beside the output and do not outlive the
next run; concurrent runs into one folder stay consistent; names that become file names are checked where used; the
release never follows a symlink; rehash and readme rewrite the files beside their descriptor, atomically."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import copy_package, snapshot
from iraq_war_facts import outputs, report
from iraq_war_facts.build import BUNDLE_FILES, BuildError, bundle_members, release
from iraq_war_facts.cli import main
from iraq_war_facts.docs import DICTIONARY
from iraq_war_facts.outputs import MARKER, OutputError, marker_text
from iraq_war_facts.package import load


def _stub_charts(analysis: object, directory: Path) -> list[dict]:
    """Charts are not the point here: one small file instead of matplotlib."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "stub-en.png").write_bytes(b"\x89PNG stub")
    return []


@pytest.fixture(autouse=True)
def quick_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("iraq_war_facts.charts.build_charts", _stub_charts)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package with its bundle files, in ``tmp_path/pkg``; returns its descriptor."""
    return copy_package(tmp_path / "pkg", BUNDLE_FILES)


def tool_made(folder: Path, kind: str = "reports") -> Path:
    """A folder as a previous run of this tool left it."""
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(marker_text(kind), encoding="utf-8")
    (folder / "summary.md").write_text("previous\n", encoding="utf-8")
    return folder


def leftovers(folder: Path) -> list[str]:
    """Temporary folders or files of a run under ``folder``."""
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


# --- the output folder: never the package, its data or the current folder --------------------------------------


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["report", "--out", "."], "the package's own folder"),
        (["report", "--out", "data"], "data/"),
        (["report", "--out", "data/reports"], "data/"),
        (["report", "--out", "schemas"], "schemas/"),
        (["report", "--out", "datapackage.json"], "a file of the package"),
        (["report", "--out", ".."], "contains the package"),
        (["build", "--dist", "."], "the package's own folder"),
        (["build", "--dist", "data"], "data/"),
        (["build", "--with-reports", "--dist", "reports"], "reports"),
        (["build", "--with-reports", "--dist", "reports/dist"], "reports"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_an_output_folder_in_the_package_s_own_files_is_refused(
    package: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], reason: str
) -> None:
    monkeypatch.chdir(package.parent)
    before = snapshot(package.parent.parent)
    assert main([*argv, "--no-wheel"] if argv[0] == "build" else argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {argv[-1]}: ") and reason in err, err
    assert "choose" in err, "the message says what to do"
    assert snapshot(package.parent.parent) == before
    assert sorted(p.name for p in package.parent.parent.iterdir()) == ["pkg"]


def test_the_current_folder_is_refused(package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    work = tmp_path / "work" / "sub"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    assert main(["report", str(package), "--out", "."]) == 1
    assert "error: .: is the current folder; choose" in capsys.readouterr().err
    assert main(["report", str(package), "--out", ".."]) == 1
    assert "error: ..: contains the current folder; choose" in capsys.readouterr().err
    assert work.is_dir() and list(work.iterdir()) == [] and list(work.parent.iterdir()) == [work]


@pytest.mark.parametrize("kind", ["file", "symlink to an empty folder", "symlink to reports", "foreign", "release"])
def test_an_existing_target_this_tool_did_not_make_is_left_untouched(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    out = tmp_path / "out"
    if kind == "file":
        out.write_text("notes\n", encoding="utf-8")
        reason = "not a folder"
    elif kind.startswith("symlink"):
        target = tmp_path / "elsewhere"
        if kind.endswith("reports"):
            tool_made(target)
        else:
            target.mkdir()
        out.symlink_to(target, target_is_directory=True)
        reason = "symlink"
    elif kind == "foreign":
        out.mkdir()
        (out / "thesis.tex").write_text("years of work\n", encoding="utf-8")
        reason = f"not made by iraq-war-facts (it has no {MARKER})"
    else:
        tool_made(out, "release")
        reason = "release"
    before = snapshot(tmp_path)
    assert main(["report", str(package), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out}: ") and reason in err, err
    assert snapshot(tmp_path) == before
    assert out.is_symlink() == kind.startswith("symlink") and not leftovers(tmp_path)


def test_the_library_refuses_as_the_command_line_does(package: Path, tmp_path: Path) -> None:
    from iraq_war_facts.analysis import analyse
    from iraq_war_facts.validate import validate

    analysis = analyse(validate(package))
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(OutputError, match="not made by iraq-war-facts"):
        report.build(analysis, foreign)
    with pytest.raises(OutputError, match="data/"):
        report.build(analysis, package.parent / "data" / "reports")
    with pytest.raises(OutputError, match="contains the package"):
        report.build(analysis, tmp_path)
    assert snapshot(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["foreign", "pkg"]
    assert OutputError("x", "y").exit_code == 1


def test_an_empty_or_tool_made_folder_is_replaced_and_marked(analysis, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    written = report.build(analysis, empty)
    assert (empty / MARKER).read_text(encoding="utf-8") == marker_text("reports")
    assert MARKER not in {p.name for p in written}, "the marker is not one of the reports"
    assert "summary.md" in {p.name for p in written}
    previous = tool_made(tmp_path / "reports")
    (previous / "stale.txt").write_text("gone after the run\n", encoding="utf-8")
    report.build(analysis, previous)
    assert (
        not (previous / "stale.txt").exists() and (previous / "summary.md").read_text(encoding="utf-8") != "previous\n"
    )
    assert marker_text("reports") != marker_text("release")


def test_the_committed_reports_carry_the_marker_outside_the_manifest() -> None:
    assert (ROOT / "reports" / MARKER).read_text(encoding="utf-8") == marker_text("reports")
    manifest = json.loads((ROOT / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert MARKER not in {f["path"] for f in manifest["files"]}


# --- temporary folders, interruptions, modes, concurrency ------------------------------------------------------


def test_output_modes_are_0755_and_0644_whatever_the_umask(analysis, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    old = os.umask(0o077)
    try:
        report.build(analysis, out)
    finally:
        os.umask(old)
    modes = {p.relative_to(tmp_path).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in [out, *out.rglob("*")]}
    assert modes["reports"] == 0o755 and modes["reports/charts"] == 0o755
    assert {m for name, m in modes.items() if (tmp_path / name).is_file()} == {0o644}
    assert {m for name, m in modes.items() if (tmp_path / name).is_dir()} == {0o755}


def test_a_killed_run_leaves_no_temporary_folder_and_the_previous_output(
    analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tool_made(tmp_path / "reports")
    before = snapshot(out)
    seen: list[str] = []

    def killed(a: object, directory: Path) -> list[dict]:
        seen.extend(leftovers(tmp_path))  # the run's temporary folder, beside the output
        (directory / "half.png").parent.mkdir(parents=True, exist_ok=True)
        (directory / "half.png").write_bytes(b"half")
        raise KeyboardInterrupt

    monkeypatch.setattr("iraq_war_facts.charts.build_charts", killed)
    with pytest.raises(KeyboardInterrupt):
        report.build(analysis, out)
    assert len(seen) == 1 and seen[0].startswith(".reports.tmp-")
    assert snapshot(out) == before and not leftovers(tmp_path)


def test_stale_temporary_folders_are_removed_by_the_next_run(analysis, tmp_path: Path) -> None:
    stale = Path(tempfile.mkdtemp(prefix=".reports.tmp-", dir=tmp_path))  # as a run killed with SIGKILL leaves it
    (stale / "half").mkdir()
    (stale / "half" / "summary.md").write_text("half\n", encoding="utf-8")
    other = Path(tempfile.mkdtemp(prefix=".dist.tmp-", dir=tmp_path))  # another output's: not this run's business
    report.build(analysis, tmp_path / "reports")
    assert not stale.exists() and other.is_dir()
    assert leftovers(tmp_path) == [other.name]


def test_concurrent_runs_into_one_folder_stay_consistent(analysis, tmp_path: Path, monkeypatch) -> None:
    events: list[str] = []

    def slow(a: object, directory: Path) -> list[dict]:
        events.append("start")
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{threading.current_thread().name}.png").write_bytes(b"\x89PNG")
        time.sleep(0.2)  # long enough for the other run to start meanwhile, were it not made to wait
        events.append("end")
        return []

    monkeypatch.setattr("iraq_war_facts.charts.build_charts", slow)
    out = tmp_path / "reports"
    errors: list[BaseException] = []

    def run() -> None:
        try:
            report.build(analysis, out)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, name=f"run{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert events == ["start", "end", "start", "end"], "the runs overlapped"
    charts = sorted(p.name for p in (out / "charts").iterdir())
    assert len(charts) == 1, f"two runs mixed: {charts}"
    assert not leftovers(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(f["path"] for f in manifest["files"]) == sorted(n for n in report._files(out) if n != "manifest.json")


# --- the release: no symlink followed, no file from outside the package, names checked where used ---------------


@pytest.mark.parametrize("name", ["LICENSE", "CITATION.cff", "CHANGELOG.md"])
def test_a_symlinked_bundle_file_is_refused(package: Path, tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0\n", encoding="utf-8")
    member = package.parent / name
    member.unlink()
    member.symlink_to(secret)
    with pytest.raises(BuildError, match=f"{name}.*symlink"):
        bundle_members(load(package), None, False)
    member.unlink()
    member.symlink_to(package.parent / "LICENSE-DATA")  # even one that stays inside the package
    with pytest.raises(BuildError, match=f"{name}.*symlink"):
        bundle_members(load(package), None, False)


def test_a_symlinked_chart_or_charts_folder_is_refused(package: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"secret")
    charts = package.parent / "reports" / "charts"
    charts.mkdir(parents=True)
    (charts / "troops-en.png").write_bytes(b"\x89PNG")
    assert set(bundle_members(load(package), charts, True)) >= {"reports/charts/troops-en.png"}
    (charts / "costs-en.png").symlink_to(outside / "secret.png")
    with pytest.raises(BuildError, match=r"costs-en\.png.*symlink"):
        bundle_members(load(package), charts, True)
    with pytest.raises(BuildError, match=r"costs-en\.png.*symlink"):
        bundle_members(load(package), charts, False)
    (charts / "costs-en.png").unlink()
    reports = package.parent / "reports"
    (charts / "troops-en.png").unlink()
    charts.rmdir()
    reports.rmdir()
    reports.symlink_to(outside, target_is_directory=True)  # the default charts folder leads outside the package
    (outside / "charts").mkdir()
    (outside / "charts" / "x-en.png").write_bytes(b"\x89PNG")
    with pytest.raises(BuildError, match="outside the package"):
        bundle_members(load(package), package.parent / "reports" / "charts", False)


def test_the_command_line_refuses_a_release_with_a_symlinked_licence(package: Path, tmp_path: Path, capsys) -> None:
    (package.parent / "LICENSE").unlink()
    (package.parent / "LICENSE").symlink_to("/etc/passwd")
    dist = tmp_path / "dist"
    assert main(["build", str(package), "--dist", str(dist), "--no-wheel"]) == 1
    err = capsys.readouterr().err
    assert "LICENSE" in err and "symlink" in err
    assert not dist.exists() and not leftovers(tmp_path)


@pytest.fixture(scope="module")
def validated():
    from iraq_war_facts.validate import validate

    return validate(ROOT / "datapackage.json")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "../x"),
        ("name", "ABS"),  # replaced by an absolute path below
        ("name", "Upper"),
        ("name", ".hidden"),
        ("name", ".."),
        ("name", "a b"),
        ("version", "1/2"),
        ("version", "../../1"),
        ("version", "1 0"),
        ("resource", "../x"),
        ("resource", "ABS"),
    ],
)
def test_names_that_become_file_names_are_checked_where_used(
    validated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, value: str
) -> None:
    """validate may pass them (it is checked there too); the release refuses them before writing anything."""
    pkg = validated.context.package
    if value == "ABS":
        value = str(tmp_path / "abs")
    if field == "resource":
        res = pkg.resources["troops"]
        monkeypatch.setitem(pkg.resources, "troops", dataclasses.replace(res, name=value))
        where = "resources["
    else:
        monkeypatch.setitem(pkg.descriptor, field, value)
        where = f"'{field}'"
    dist = tmp_path / "dist"
    with pytest.raises(BuildError) as refused:
        release(validated, dist)
    assert where in str(refused.value) and "file name" in str(refused.value), str(refused.value)
    assert list(tmp_path.iterdir()) == [], "nothing was written"


def test_file_name_bounds() -> None:
    from iraq_war_facts.build import name_problems

    version = "0.1.0"
    longest = "a" * (255 - len(f"-{version}.zip"))
    assert name_problems({"name": longest, "version": version}, []) == []
    assert name_problems({"name": longest + "a", "version": version}, []) != []
    for good in ("iraq-war-facts", "a", "a.b_c-1", "0"):
        assert name_problems({"name": good, "version": "1.0.0+local_1-rc.2"}, [good]) == [], good
    assert name_problems({"name": "a", "version": "1"}, ["a", "ok", "B"]) != []
    longest = "r" * (255 - len(".parquet"))
    assert name_problems({"name": "a", "version": "1"}, [longest]) == []
    assert name_problems({"name": "a", "version": "1"}, [longest + "r"]) != []


# --- files the package keeps: rewritten beside their descriptor, atomically, never through a symlink -----------


def stale_dictionary(path: Path) -> Path:
    """A stale data dictionary at ``path`` (a package's, or a folder's ``docs/data-dictionary.md``)."""
    path = path / DICTIONARY if path.is_dir() else path
    path.parent.mkdir(exist_ok=True)
    path.write_text("STALE\n", encoding="utf-8")
    return path


def make_stale(descriptor: Path) -> None:
    troops = descriptor.parent / "data" / "troops.csv"
    troops.write_bytes(troops.read_bytes() + b"\n")


def test_rehash_and_readme_refuse_a_symlinked_dictionary(package: Path, tmp_path: Path, capsys) -> None:
    outside = stale_dictionary(tmp_path / "outside.md")
    dictionary = package.parent / DICTIONARY
    dictionary.parent.mkdir()
    dictionary.symlink_to(outside)
    make_stale(package)
    before = snapshot(tmp_path)
    assert main(["rehash", str(package)]) == 1
    err = capsys.readouterr().err
    assert "data-dictionary.md" in err and "symlink" in err
    assert main(["readme", str(package)]) == 1
    assert "symlink" in capsys.readouterr().err
    assert snapshot(tmp_path) == before, "nothing was written, not even the hashes"
    assert dictionary.is_symlink()
    dictionary.unlink()
    dictionary.parent.rmdir()
    (package.parent / "docs").symlink_to(tmp_path, target_is_directory=True)  # the folder leads elsewhere
    assert main(["readme", str(package)]) == 1
    assert "symlink" in capsys.readouterr().err
    assert not (tmp_path / "data-dictionary.md").exists()


def test_rehash_never_writes_through_a_planted_temporary_file(package: Path, tmp_path: Path) -> None:
    victims = [tmp_path / "victim1", tmp_path / "victim2"]
    for victim in victims:
        victim.write_text("intact\n", encoding="utf-8")
    dictionary = stale_dictionary(package.parent)
    (dictionary.parent / ".data-dictionary.md.tmp").symlink_to(victims[0])
    (package.parent / "datapackage.json.tmp").symlink_to(victims[1])
    make_stale(package)
    assert main(["rehash", str(package)]) == 0
    assert [v.read_text(encoding="utf-8") for v in victims] == ["intact\n", "intact\n"]
    assert "STALE" not in dictionary.read_text(encoding="utf-8")
    assert not dictionary.is_symlink() and not package.is_symlink()


@pytest.mark.parametrize("argv", [["rehash", "pkg"], ["rehash", "pkg/datapackage.json"], ["readme", "pkg"]])
def test_rehash_and_readme_rewrite_the_dictionary_beside_their_descriptor(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    parent_dictionary = stale_dictionary(tmp_path)
    dictionary = stale_dictionary(package.parent)
    ours = (ROOT / DICTIONARY).read_bytes()
    readme = (package.parent / "README.md").read_bytes() if (package.parent / "README.md").exists() else None
    make_stale(package)
    before = parent_dictionary.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 0
    assert "STALE" not in dictionary.read_text(encoding="utf-8")
    assert parent_dictionary.read_bytes() == before and (ROOT / DICTIONARY).read_bytes() == ours
    if readme is not None:
        assert (package.parent / "README.md").read_bytes() == readme, "the README is the reader's, never rewritten"


def test_the_atomic_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "README.md"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    outputs.write_text(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640
    outputs.write_text(tmp_path / "NEW.md", "fresh\n")
    assert stat.S_IMODE((tmp_path / "NEW.md").stat().st_mode) == 0o644

    def killed(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_text(target, "half\n")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "new\n" and not leftovers(tmp_path)

    link = tmp_path / "link.md"
    link.symlink_to(target)
    with pytest.raises(OutputError, match="symlink"):
        outputs.write_text(link, "through\n")
    folder = tmp_path / "folder"
    folder.symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(OutputError, match="symlink"):
        outputs.write_text(folder / "README.md", "through\n")
    (tmp_path / "sub").mkdir()
    with pytest.raises(OutputError, match="not a regular file"):
        outputs.write_text(tmp_path / "sub", "over a folder\n")
    assert target.read_text(encoding="utf-8") == "new\n"


def test_rehash_of_a_descriptor_of_odd_shapes_regenerates_the_dictionary_without_a_crash(package: Path, capsys) -> None:
    """rehash runs before validation: the data dictionary reads what it finds, whatever its type."""
    data = json.loads(package.read_text(encoding="utf-8"))
    data["resources"][1]["title"] = None
    data["resources"][1]["description"] = 7
    package.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    schema_path = package.parent / data["resources"][1]["schema"]
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][0]["description"] = None
    schema["fields"][0]["constraints"] = "required"
    schema["fields"][1]["type"] = ["string"]
    schema["fields"][1]["description"] = "two\nlines | and a pipe"
    schema["primaryKey"] = schema["fields"][0]["name"]
    schema["foreignKeys"] = ["source_id"]
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    dictionary = stale_dictionary(package.parent)
    assert main(["rehash", str(package)]) == 0, capsys.readouterr().err
    text = dictionary.read_text(encoding="utf-8")
    name = data["resources"][1]["name"]
    assert f"\n### {name}\n" in text and f"primary key `{schema['fields'][0]['name']}`" in text
    assert "two lines \\| and a pipe |" in text
