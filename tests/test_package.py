"""The descriptor, schemas and data form a valid, honest Data Package."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT
from helpers import rows
from iraq_war_facts.descriptor import stale_hashes
from iraq_war_facts.docs import DICTIONARY, data_dictionary
from iraq_war_facts.package import sha256_file


def test_frictionless_reports_the_package_valid() -> None:
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


def test_descriptor_and_schemas_match_the_official_v2_profiles(pkg, profiles_dir) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    load = lambda name: json.loads((profiles_dir / f"{name}.json").read_text(encoding="utf-8"))  # noqa: E731
    jsonschema.validate(pkg.descriptor, load("datapackage"))
    for item in pkg.descriptor["resources"]:
        jsonschema.validate(item, load("dataresource"))
    for res in pkg.resources.values():
        jsonschema.validate(res.schema, load("tableschema"))


def test_descriptor_metadata(pkg) -> None:
    d = pkg.descriptor
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert d["name"] == "iraq-war-facts"
    assert re.fullmatch(r"\d+\.\d+\.\d+", d["version"])
    assert [lic["name"] for lic in d["licenses"]] == ["CC-BY-4.0"]
    assert d["codeLicense"]["name"] == "MIT"
    for key in ("title", "description", "sources", "contributors", "keywords", "created"):
        assert d[key], key
    for item in d["resources"]:
        assert item["hash"].startswith("sha256:") and item["bytes"] > 0
        assert item["schema"] == f"schemas/{item['name']}.json"


def test_hashes_and_sizes_are_honest(pkg) -> None:
    assert stale_hashes(pkg.descriptor_path) == []
    for res in pkg.resources.values():
        assert res.descriptor["hash"] == f"sha256:{sha256_file(res.path)}"


def test_the_data_dictionary_is_generated_and_current(pkg) -> None:
    text = (ROOT / DICTIONARY).read_text(encoding="utf-8")
    assert data_dictionary(pkg) == text, "run: python -m iraq_war_facts readme"
    core = [f for f in pkg.fact_resources[0].field_names if all(f in r.field_names for r in pkg.fact_resources)]
    assert len(core) > 10
    others = [r for r in pkg.resources.values() if r not in pkg.fact_resources]
    for name in core:
        elsewhere = sum(name in r.field_names for r in others)
        columns = text.split("\n## Code lists\n")[0]
        assert columns.count(f"| `{name}` |") == 1 + elsewhere, f"the shared column {name} is described once"
    for res in pkg.resources.values():
        assert f"`{res.relpath}`" in text and f"\n### {res.name.replace('_', chr(92) + '_')}\n" in text
        for name in set(res.field_names) - set(core if res in pkg.fact_resources else []):
            assert f"| `{name}` |" in text, (res.name, name)
    for row in rows(pkg.resources["codebook"].path):
        if row["list"] in {f.get("codelist") for r in pkg.resources.values() for f in r.fields}:
            assert f"| `{row['code']}` |" in text and row["label_ar"] in text, row["code"]


def test_the_data_dictionary_escapes_markdown_but_keeps_code_spans(tmp_path) -> None:
    from helpers import copy_package
    from iraq_war_facts.package import load

    descriptor = copy_package(tmp_path / "pkg")
    schema_path = descriptor.parent / "schemas" / "troops.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["fields"][-1]["description"] = "A *note* with [a link](javascript:x), <b>html</b> | a pipe and `a code`."
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    data["resources"][2]["description"] = "Rows **bold** _em_ `troops.csv`."
    descriptor.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    text = data_dictionary(load(descriptor))
    assert "A \\*note\\* with \\[a link\\](javascript:x), &lt;b&gt;html&lt;/b&gt; \\| a pipe and `a code`." in text
    assert "Rows \\*\\*bold\\*\\* \\_em\\_ `troops.csv`." in text
    assert "<b>" not in text and not re.search(r"(?<!\\)\]\(javascript:", text), "no HTML, no link"


def test_fact_tables_share_one_core(pkg) -> None:
    facts = pkg.fact_resources
    topics = [r["code"] for r in rows(ROOT / "data" / "codebook.csv") if r["list"] == "topic"]
    assert [r.name for r in facts] == topics  # one fact table per topic of the codebook, in its order
    core = [f for f in facts[0].fields if all(f["name"] in r.field_names for r in facts)]
    assert [f["name"] for f in core][:3] == ["fact_id", "metric", "party"]
    names = {c["name"] for c in core}

    def shared(fields: list[dict]) -> list[dict]:
        # The fact_id pattern carries each table's own prefix; everything else must be identical.
        out = [json.loads(json.dumps(f)) for f in fields if f["name"] in names]
        out[0]["constraints"]["pattern"] = re.sub(r"\^[A-Z]{3}-", "^XXX-", out[0]["constraints"]["pattern"])
        return out

    for res in facts:
        assert shared(res.fields) == shared(core), f"{res.name} restates the core differently"


def test_csvs_are_utf8_without_bom_with_unix_newlines(pkg) -> None:
    for res in pkg.resources.values():
        data = res.path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), res.name
        assert b"\r" not in data, res.name
        data.decode("utf-8")
        header = data.split(b"\n", 1)[0].decode().split(",")
        assert header == res.field_names, res.name


def test_every_code_belongs_to_its_declared_list(pkg) -> None:
    book = {r["code"]: r for r in rows(pkg.resources["codebook"].path)}
    for res in pkg.resources.values():
        coded = {f["name"]: f["codelist"] for f in res.fields if "codelist" in f}
        for i, row in enumerate(rows(res.path), start=2):
            for name, lst in coded.items():
                if row[name]:
                    assert book[row[name]]["list"] == lst, f"{res.name}:{i}:{name} {row[name]!r} is not a {lst} code"


def test_metrics_sit_in_the_table_of_their_topic(pkg) -> None:
    book = {r["code"]: r for r in rows(pkg.resources["codebook"].path)}
    for res in pkg.fact_resources:
        for row in rows(res.path):
            assert book[row["metric"]]["parent"] == res.name, row["fact_id"]


def test_ids_are_unique_across_the_package(pkg) -> None:
    seen: dict[str, str] = {}
    for res in pkg.resources.values():
        key = res.schema["primaryKey"][0]
        if not key.endswith("_id") or key == "source_id":
            continue
        for row in rows(res.path):
            assert row[key] not in seen, f"{row[key]} in {res.name} and {seen.get(row[key])}"
            seen[row[key]] = res.name
    assert len(seen) > 80


def test_relations_name_existing_facts(pkg) -> None:
    facts = {row["fact_id"] for res in pkg.fact_resources for row in rows(res.path)}
    for rel in rows(pkg.resources["relations"].path):
        for fid in [rel["fact_id"], *rel["other_fact_ids"].split(" ")]:
            assert fid in facts, (rel["relation_id"], fid)


def test_every_source_is_used_and_claims_disagree_where_sources_do(pkg) -> None:
    used = {row["source_id"] for res in pkg.fact_resources for row in rows(res.path)}
    assert used == {row["source_id"] for row in rows(pkg.resources["sources"].path)}
    troops_2003 = {
        (r["source_id"], r["value"] or f"{r['value_low']}-{r['value_high']}")
        for r in rows(pkg.resources["troops"].path)
        if r["party"] == "us" and r["metric"] == "troops_deployed"
    }
    assert troops_2003 == {("src-001", "100000-150000"), ("src-002", "160000")}
