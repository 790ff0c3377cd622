"""No traceback, ever: every command ends with a message and exit 0, 1 or 2 — into a closed pipe, on a stdout that
cannot encode Arabic, under the C locale, on inputs that are not regular files, on an unexpected error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from helpers import copy_package
from iraq_war_facts import cli
from iraq_war_facts.build import BUNDLE_FILES
from iraq_war_facts.cli import MAX_CONTEXT, main

TIMEOUT = 60


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess[bytes]:
    """``python -m iraq_war_facts ARGS`` in a subprocess (bytes out, so that any encoding can be checked)."""
    full = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "iraq_war_facts", *args], cwd=cwd, env=full, capture_output=True, timeout=TIMEOUT, **kw
    )


def arabic_problem(descriptor: Path) -> None:
    """A type error at data/troops.csv line 3 whose message quotes the Arabic cell (``مئة`` in a number field)."""
    troops = descriptor.parent / "data" / "troops.csv"
    lines = troops.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",100000,150000,range,", ",مئة,150000,range,", 1)
    troops.write_text("\n".join(lines), encoding="utf-8")


# --- closed pipes and encodings ------------------------------------------------------------------------------------


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """``mentions TEXT | head -c 1``: the reader closes the pipe after one byte; the command still exits cleanly."""
    text = tmp_path / "text.txt"
    text.write_text("\n".join(f"قتل {n} جندياً في اليوم {n}." for n in range(1, 3000)) + "\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "iraq_war_facts", "mentions", str(text)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=TIMEOUT) == 0
    assert "Traceback" not in err and "Exception ignored" not in err, err


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}]
)
def test_problems_survive_a_stdout_that_cannot_encode_arabic(tmp_path: Path, env: dict[str, str]) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    arabic_problem(descriptor)
    proc = run("validate", "--format", "text", cwd=descriptor.parent, env=env)
    out, err = proc.stdout.decode("ascii"), proc.stderr.decode("ascii")  # nothing but ASCII reached the stream
    assert proc.returncode == 1, out + err
    assert "Traceback" not in err
    assert (
        "data/troops.csv:3:5:" in out
        and "\\u0645\\u0626\\u0629" in out
        and out.rstrip().splitlines()[-1].startswith("INVALID")
    )


def test_arabic_paths_under_the_c_locale(tmp_path: Path) -> None:
    """A package in a folder with an Arabic name under the C locale without UTF-8 mode (its file names are then bytes
    Python cannot decode) and an ASCII stdout: the release, and the report's tables (polars), written beside it."""
    descriptor = copy_package(tmp_path / "حزمة", BUNDLE_FILES)
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": "ascii"}
    proc = run("build", "--no-wheel", cwd=descriptor.parent, env=env)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stdout + proc.stderr
    assert (descriptor.parent / "dist" / "SHA256SUMS").is_file()
    tables = (
        "from pathlib import Path\n"
        "from iraq_war_facts import report\n"
        "from iraq_war_facts.analysis import analyse\n"
        "from iraq_war_facts.validate import validate\n"
        "report._tables(analyse(validate(Path('datapackage.json'))), Path('reports') / 'tables')\n"
    )
    full = {**os.environ, **env}
    proc = subprocess.run(
        [sys.executable, "-c", tables], cwd=descriptor.parent, env=full, capture_output=True, timeout=TIMEOUT
    )
    assert proc.returncode == 0, proc.stderr
    assert (descriptor.parent / "reports" / "tables" / "summary.csv").is_file()


# --- inputs that are not regular files ------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_mentions_refuses_a_fifo_without_waiting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert main(["mentions", str(fifo)]) == 2  # would block forever if it opened the FIFO for a plain read
    assert "not a regular file" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_mentions_refuses_a_device_and_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mentions", "/dev/zero"]) == 2  # would read until memory runs out
    assert main(["mentions", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("not a regular file") == 2 and "Traceback" not in err


def test_mentions_refuses_a_text_over_its_limit(tmp_path: Path, monkeypatch, capsys) -> None:
    from iraq_war_facts.checks import completeness

    text = tmp_path / "t.txt"
    text.write_text("قتل 12 جندياً\n", encoding="utf-8")
    size = text.stat().st_size
    monkeypatch.setattr(completeness, "MAX_TEXT_BYTES", size)
    assert main(["mentions", str(text)]) == 0  # at the limit
    monkeypatch.setattr(completeness, "MAX_TEXT_BYTES", size - 1)
    assert main(["mentions", str(text)]) == 2  # one byte over
    assert f"{size} bytes, over the limit of {size - 1} bytes" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("given", "ok"), [("0", True), (str(MAX_CONTEXT), True), ("-5", False), (str(MAX_CONTEXT + 1), False), ("x", False)]
)
def test_mentions_context_is_bounded(tmp_path: Path, capsys, given: str, ok: bool) -> None:
    text = tmp_path / "t.txt"
    text.write_text("قتل 12 جندياً\n", encoding="utf-8")
    assert main(["mentions", str(text), "--context", given]) == (0 if ok else 2)
    captured = capsys.readouterr()
    if ok:
        assert "12" in captured.out
    else:
        assert "argument --context" in captured.err


# --- unexpected errors ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        (ValueError("boom"), "unexpected ValueError: boom"),
        (KeyboardInterrupt(), "interrupted"),
        (RecursionError(), "nested too deeply"),
        (PermissionError(13, "Permission denied", "some/file"), "some/file: Permission denied"),
    ],
)
def test_any_error_is_one_line_and_exit_2(monkeypatch, capsys, exc: BaseException, says: str) -> None:
    def explode(args):
        raise exc

    monkeypatch.delenv("IWF_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_validate", explode)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and says in err and len(err.strip().splitlines()) == 1


def test_iwf_debug_lets_a_bug_raise(monkeypatch) -> None:
    def explode(args):
        raise ValueError("boom")

    monkeypatch.setenv("IWF_DEBUG", "1")
    monkeypatch.setattr(cli, "_validate", explode)
    with pytest.raises(ValueError, match="boom"):
        main(["validate"])


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_package_is_validated_and_reported_without_traceback(tmp_path: Path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    folders = [descriptor.parent, *(p for p in descriptor.parent.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        assert run("validate", cwd=descriptor.parent).returncode == 0
        proc = run("build", "--no-wheel", cwd=descriptor.parent)
        assert proc.returncode in (1, 2) and b"Traceback" not in proc.stderr
        assert proc.stderr.startswith(b"error: ")
    finally:
        for folder in folders:
            folder.chmod(0o755)
    shutil.rmtree(tmp_path / "pkg")


def test_the_command_line_loads_neither_pandas_nor_hypothesis(tmp_path: Path) -> None:
    """pandera would import pandas and hypothesis (a second of start-up) whenever installed; no command needs them."""
    probe = (
        "import sys\n"
        "from iraq_war_facts.cli import main\n"
        f"code = main(['validate', {str(ROOT / 'datapackage.json')!r}])\n"
        "print(sorted(m for m in ('pandas', 'hypothesis') if m in sys.modules), code)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.stdout.splitlines()[-1] == "[] 0", proc.stdout + proc.stderr
