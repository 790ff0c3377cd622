"""The SQLite file with its metadata, served by Datasette on localhost: the title, licence and source show, coded
columns show their codebook labels, whole numbers are integers. One server for the module, always stopped."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from iraq_war_facts import build, exports
from iraq_war_facts.validate import validate

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("datasette") is None,
    reason='datasette is not installed (it is in the dev extra: pip install -e ".[dev]")',
)

START_TIMEOUT = 20.0  # seconds for the server to answer at all
REQUEST_TIMEOUT = 10.0
DB = "iraq-war-facts"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
        assert response.status == 200, url
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The SQLite file and its Datasette metadata, as the release writes them."""
    report = validate(ROOT / "datapackage.json")
    assert report.ok
    pkg = report.context.package
    out = tmp_path_factory.mktemp("datasette")
    tables = [report.context.tables[name] for name in pkg.resources]
    sqlite = exports.write_sqlite(tables, out / f"{DB}.sqlite", build.about(pkg))
    metadata = exports.write_datasette_metadata(tables, out / f"{DB}.metadata.json", build.datasette_about(pkg))
    return sqlite, metadata


@pytest.fixture(scope="module")
def server(files: tuple[Path, Path]) -> Iterator[str]:
    """The base address of ``datasette serve`` on a free localhost port; the process is stopped however the tests
    end."""
    sqlite, metadata = files
    port = _free_port()
    cmd = [sys.executable, "-m", "datasette", "serve", str(sqlite), "--metadata", str(metadata)]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"datasette exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
            try:
                _get(f"{base}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"datasette did not answer on {base} within {START_TIMEOUT} s")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


def test_metadata_describes_every_table_and_column(files: tuple[Path, Path], pkg) -> None:
    metadata = json.loads(files[1].read_text(encoding="utf-8"))
    assert metadata["title"] == pkg.descriptor["title"]
    assert metadata["license"] == "CC-BY-4.0" and metadata["license_url"].startswith("https://creativecommons.org/")
    assert metadata["source"] and metadata["source_url"] == pkg.descriptor["homepage"]
    tables = metadata["databases"][DB]["tables"]
    assert list(tables) == [*pkg.resources, exports.PACKAGE_INFO]
    for res in pkg.resources.values():
        assert tables[res.name]["description"] == res.descriptor["description"]
        assert list(tables[res.name]["columns"]) == res.field_names
        assert all(tables[res.name]["columns"].values()), res.name
    assert tables["codebook"]["label_column"] == "label_en"


def test_the_index_shows_title_licence_and_source(server: str, pkg) -> None:
    page = _get(f"{server}/")
    assert pkg.descriptor["title"] in page
    assert "CC-BY-4.0" in page and pkg.descriptor["homepage"] in page


def test_a_table_page_shows_labels_for_codes_and_whole_numbers(server: str) -> None:
    page = _get(f"{server}/{DB}/troops?fact_id=TRP-0001")
    assert "Troop levels" in page  # the table's title
    assert "Troops deployed" in page, "the metric code is shown with its codebook label"
    assert "Coalition (all members)" in page, "the party code is shown with its codebook label"
    assert ">150000<" in page and "150000.0" not in page


def test_the_json_api_gives_labels_and_integers(server: str) -> None:
    rows = json.loads(_get(f"{server}/{DB}/troops.json?_shape=array&_labels=on&fact_id=TRP-0001"))
    assert len(rows) == 1
    row = rows[0]
    assert row["metric"] == {"value": "troops_deployed", "label": "Troops deployed"}
    assert row["party"] == {"value": "coalition", "label": "Coalition (all members)"}
    assert row["value"] == 150000 and isinstance(row["value"], int)
    assert isinstance(row["paragraph"], int)
    shares = json.loads(_get(f"{server}/{DB}/displacement.json?_shape=array&metric=displaced_share"))
    assert shares and all(isinstance(r["value"], float) for r in shares), "a fraction stays a number with decimals"
