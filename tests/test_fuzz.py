"""Property-based fuzzing of whole packages: hostile descriptors, schemas and CSV bytes never give a traceback (an
unexpected error raises here: ``IWF_DEBUG=1``), validation never writes, and a build writes only inside its output
folder, whatever names the package gives its files."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from helpers import copy_package, snapshot
from iraq_war_facts.build import BUNDLE_FILES
from iraq_war_facts.cli import main

EXAMPLES = int(os.environ.get("IWF_FUZZ_EXAMPLES", "10"))  # raise it to search longer: IWF_FUZZ_EXAMPLES=500
VICTIM = "@victim@"  # replaced by an absolute path outside the package and the output folder
HOSTILE_TEXT = st.sampled_from(
    ["../escape", "../../escape", VICTIM, "a/b", ".", "..", "", "x" * 300, "Troops", "TROOPS", "troops", "casualties",
     "con", "nul", "a\x00b", "ط", "=HYPERLINK(\"http://x\")", "<img src=x onerror=alert(1)>", "sha256:" + "0" * 64]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    HOSTILE_TEXT,
    st.text(max_size=12),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.one_of(HOSTILE_TEXT, st.text(max_size=8)), inner, max_size=3)
    ),
    max_leaves=6,
)
HOSTILE_BYTES = st.one_of(
    st.binary(max_size=16),
    st.sampled_from([b"\r", b"\r\n", b"\x00", b'"', b"\n", b",", b"=cmd|' /C calc'!A0", b"NaN", b"1e400"]),
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every JSON path in ``doc`` (keys and indices), the root included."""
    out = [prefix]
    if isinstance(doc, dict):
        for key, value in doc.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            out += _paths(value, (*prefix, i))
    return out


def _victimise(value: Any, victim: str) -> Any:
    """``value`` with the placeholder replaced by the absolute victim path."""
    if isinstance(value, str):
        return value.replace(VICTIM, victim)
    if isinstance(value, list):
        return [_victimise(v, victim) for v in value]
    if isinstance(value, dict):
        return {_victimise(k, victim): _victimise(v, victim) for k, v in value.items()}
    return value


@st.composite
def json_edit(draw: st.DrawFn, doc: Any) -> tuple[tuple[Any, ...], str, Any]:
    paths = _paths(doc)
    path = paths[draw(st.integers(0, len(paths) - 1))]
    return path, draw(st.sampled_from(["replace", "delete", "add"])), draw(JSON_VALUES)


def _apply(doc: Any, edit: tuple[tuple[Any, ...], str, Any], victim: str) -> Any:
    path, action, value = edit
    value = _victimise(value, victim)
    if not path:
        return value if action == "replace" else doc
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[_victimise(f"x-{value}" if isinstance(value, str) else "x-added", victim)] = value
    else:
        parent[last] = value
    return doc


FILES = ["datapackage.json", "schemas/troops.json", "schemas/sources.json", "data/troops.csv", "data/codebook.csv"]


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(FILES))
    if name.endswith(".json"):
        doc = json.loads((ROOT / name).read_text(encoding="utf-8"))
        return name, [draw(json_edit(doc)) for _ in range(draw(st.integers(1, 2)))]
    size = (ROOT / name).stat().st_size
    return name, draw(st.lists(st.tuples(st.integers(0, size), st.booleans(), HOSTILE_BYTES), min_size=1, max_size=3))


def _mutate(root: Path, name: str, edits: Any, victim: str) -> None:
    path = root / name
    if name.endswith(".json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for edit in edits:
            with contextlib.suppress(KeyError, IndexError, TypeError):
                doc = _apply(doc, edit, victim)
        path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    else:
        data = path.read_bytes()
        for at, insert, chunk in edits:
            data = data[:at] + chunk + data[at + (0 if insert else len(chunk)) :]
        path.write_bytes(data)


def _cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code in (0, 1, 2)
    if code == 2:
        assert err.getvalue().startswith("error: "), err.getvalue()
    return code, err.getvalue()


@pytest.fixture(autouse=True)
def bugs_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception is a bug: let it raise instead of becoming the command line's exit 2."""
    monkeypatch.setenv("IWF_DEBUG", "1")


@settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(change=mutation())
def test_hostile_packages_end_in_a_message_and_write_only_into_the_output(change: tuple[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        descriptor = copy_package(top / "pkg", BUNDLE_FILES)
        victim = str(top / "victim")
        _mutate(top / "pkg", *change, victim)
        _cli("rehash", str(descriptor))  # may refuse; must not crash
        before = snapshot(top)
        code, _ = _cli("validate", str(descriptor))
        assert snapshot(top) == before, "validation wrote"
        out = top / "out" / "dist"
        if code == 0:
            _cli("build", str(descriptor), "--dist", str(out), "--no-wheel")
        after = snapshot(top)
        changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
        assert all(name.startswith("out/dist/") or name == "out/.dist.lock" for name in changed), sorted(changed)
        assert not (top / "victim").exists() and not (top / "escape").exists()
        shutil.rmtree(top / "out", ignore_errors=True)
