"""Malformed descriptor metadata and schema parts are problems of their file, named by their JSON path: never a
traceback, never a check that "could not run", never a knock-on error elsewhere. Names that become file names (the
package name, resource names, the version) follow the Data Package naming rule, resource names unique regardless of
case."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT, copy_package
from iraq_war_facts.checks import descriptor as descriptor_check
from iraq_war_facts.checks import schema_parts
from iraq_war_facts.checks.base import Problem
from iraq_war_facts.cli import main
from iraq_war_facts.descriptor import rehash
from iraq_war_facts.package import MAX_JSON_DEPTH, PackageError, read_json
from iraq_war_facts.validate import validate

Edit = Callable[[dict[str, Any]], None]
DESCRIPTOR = "datapackage.json"
TROOPS = "schemas/troops.json"
NAME_RULE = "breaks the naming rule: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"
VERSION_RULE = "cannot be part of a file name: letters, digits, '.', '_', '+' and '-', starting with a letter or digit"
AS_TEXT = "the column is read as text"
NOT_RFC3339 = "is not an RFC 3339 date-time such as 2026-11-21T00:00:00Z"
_NAMES = [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
RELATIONS, CORRECTIONS = _NAMES.index("relations"), _NAMES.index("corrections")  # names no other check depends on


def edited(tmp_path: Path, rel: str, edit: Edit) -> Path:
    """A copy of the package whose JSON file ``rel`` was changed by ``edit``."""
    descriptor = copy_package(tmp_path / "pkg")
    path = descriptor.parent / rel
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return descriptor


def put(*keys: str | int, value: Any) -> Edit:
    """Set the value at ``keys`` (object keys and list positions)."""

    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return edit


def in_field(name: str, *keys: str, value: Any) -> Edit:
    """Set ``keys`` of the schema field ``name`` (``constraints``, ``required`` sets a constraint)."""

    def edit(schema: dict[str, Any]) -> None:
        [field] = [f for f in schema["fields"] if f["name"] == name]
        target = field
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value

    return edit


def meta(message: str, code: str, resource: str | None = None) -> Problem:
    return Problem(DESCRIPTOR, None, None, "descriptor", message, None, resource, code=code)


def part(message: str, code: str, field: str | None = None) -> Problem:
    return Problem(TROOPS, None, None, "schema", message, field, "troops", code=code)


def test_the_clean_package_stays_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    report = validate(descriptor)
    assert report.problems == []
    assert ("descriptor", "passed", 0) in report.summary()
    assert main(["validate", str(descriptor)]) == 0
    assert "VALID" in capsys.readouterr().out


METADATA: dict[str, tuple[Edit, list[Problem]]] = {
    "name over 100 characters": (
        put("name", value="a" * 101),
        [meta("name: 101 characters, over the limit of 100", "invalid-name")],
    ),
    "name in capitals": (
        put("name", value="Iraq-War-Facts"),
        [meta(f'name: "Iraq-War-Facts" {NAME_RULE}', "invalid-name")],
    ),
    "name ..": (put("name", value=".."), [meta(f'name: ".." {NAME_RULE}', "invalid-name")]),
    "name a path": (put("name", value="../../tmp/x"), [meta(f'name: "../../tmp/x" {NAME_RULE}', "invalid-name")]),
    "name not a string": (put("name", value=5), [meta("name: must be a string, not 5", "invalid-name")]),
    "version a number": (put("version", value=1), [meta("version: must be a string, not 1", "invalid-version")]),
    "version a path": (
        put("version", value="1.0/../../x"),
        [meta(f'version: "1.0/../../x" {VERSION_RULE}', "invalid-version")],
    ),
    "version over 64 characters": (
        put("version", value="1" * 65),
        [meta("version: 65 characters, over the limit of 64", "invalid-version")],
    ),
    "created in words": (
        put("created", value="21 November 2026"),
        [meta(f'created: "21 November 2026" {NOT_RFC3339}', "invalid-created")],
    ),
    "created in month 13": (
        put("created", value="2026-13-21T00:00:00Z"),
        [meta(f'created: "2026-13-21T00:00:00Z" {NOT_RFC3339}', "invalid-created")],
    ),
    "created without a time zone": (
        put("created", value="2026-11-21T00:00:00"),
        [meta(f'created: "2026-11-21T00:00:00" {NOT_RFC3339}', "invalid-created")],
    ),
    "created a number": (put("created", value=2026), [meta("created: must be a string, not 2026", "invalid-created")]),
    "keywords a string": (
        put("keywords", value="Iraq, war"),
        [meta('keywords: must be a list of strings, not "Iraq, war"', "invalid-property")],
    ),
    "keywords holding a number": (
        put("keywords", value=["Iraq", 2003]),
        [meta("keywords[1]: must be a string, not 2003", "invalid-property")],
    ),
    "keywords empty": (put("keywords", value=[]), [meta("keywords: must not be empty", "invalid-property")]),
    "licenses a string": (
        put("licenses", value="CC-BY-4.0"),
        [meta('licenses: must be a list of objects, not "CC-BY-4.0"', "invalid-property")],
    ),
    "license without name or path": (
        put("licenses", value=[{"title": "Creative Commons"}]),
        [meta("licenses[0]: needs a name or a path", "invalid-property")],
    ),
    "license name a list": (
        put("licenses", 0, "name", value=["CC-BY-4.0"]),
        [meta('licenses[0].name: must be a string, not ["CC-BY-4.0"]', "invalid-property")],
    ),
    "license name with a space": (
        put("licenses", 0, "name", value="CC BY"),
        [
            meta(
                "licenses[0].name: \"CC BY\" is not a license identifier: letters, digits, '.', '_' and '-'",
                "invalid-property",
            )
        ],
    ),
    "title a number": (put("title", value=5), [meta("title: must be a string, not 5", "invalid-property")]),
    "description a list": (
        put("description", value=["a"]),
        [meta('description: must be a string, not ["a"]', "invalid-property")],
    ),
    "homepage a script": (
        put("homepage", value="javascript:alert(1)"),
        [meta('homepage: "javascript:alert(1)" is not an http(s) address', "invalid-property")],
    ),
    "contributors a string": (
        put("contributors", value="me"),
        [meta('contributors: must be a list of objects, not "me"', "invalid-property")],
    ),
    "contributor without properties": (
        put("contributors", value=[{}]),
        [meta("contributors[0]: must have at least one property", "invalid-property")],
    ),
    "contributor roles a string": (
        put("contributors", 0, "roles", value="creator"),
        [meta('contributors[0].roles: must be a list of strings, not "creator"', "invalid-property")],
    ),
    "sources an object": (
        put("sources", value={"title": "x"}),
        [meta('sources: must be a list of objects, not {"title": "x"}', "invalid-property")],
    ),
    "resource name in capitals": (
        put("resources", RELATIONS, "name", value="Relations"),
        [meta(f'resources[{RELATIONS}].name: "Relations" {NAME_RULE}', "invalid-name", "Relations")],
    ),
    "resource name a path": (
        put("resources", RELATIONS, "name", value="../relations"),
        [meta(f'resources[{RELATIONS}].name: "../relations" {NAME_RULE}', "invalid-name", "../relations")],
    ),
    "resource names differing in case": (
        put("resources", CORRECTIONS, "name", value="Relations"),
        [
            meta(f'resources[{CORRECTIONS}].name: "Relations" {NAME_RULE}', "invalid-name", "Relations"),
            meta(
                f'resources[{CORRECTIONS}].name: "Relations" differs only in case from resources[{RELATIONS}].name',
                "duplicate-name",
                "Relations",
            ),
        ],
    ),
    "hash a number": (
        put("resources", RELATIONS, "hash", value=5),
        [meta(f"resources[{RELATIONS}].hash: must be a string, not 5", "invalid-hash", "relations")],
    ),
    "hash not hexadecimal": (
        put("resources", RELATIONS, "hash", value="sha256:zz"),
        [
            meta(
                f'resources[{RELATIONS}].hash: "sha256:zz" is not an algorithm and hex digits such as sha256:0f…',
                "invalid-hash",
                "relations",
            )
        ],
    ),
    "bytes a string": (
        put("resources", RELATIONS, "bytes", value="5"),
        [meta(f'resources[{RELATIONS}].bytes: must be a non-negative integer, not "5"', "invalid-bytes", "relations")],
    ),
    "bytes negative": (
        put("resources", RELATIONS, "bytes", value=-1),
        [meta(f"resources[{RELATIONS}].bytes: must be a non-negative integer, not -1", "invalid-bytes", "relations")],
    ),
    "bytes true": (
        put("resources", RELATIONS, "bytes", value=True),
        [meta(f"resources[{RELATIONS}].bytes: must be a non-negative integer, not true", "invalid-bytes", "relations")],
    ),
}


# Validating a copy of the package costs a fraction of a second: the cases the issue names run end to end (exact
# problems, so no knock-on error and no check that could not run); every case runs on the file's JSON alone.
METADATA_END_TO_END = [
    "name over 100 characters",
    "name a path",
    "version a path",
    "created in month 13",
    "keywords holding a number",
    "licenses a string",
    "contributors a string",
    "resource name a path",
    "resource names differing in case",
    "hash not hexadecimal",
    "bytes negative",
]


ORIGINAL = {rel: json.loads((ROOT / rel).read_text(encoding="utf-8")) for rel in (DESCRIPTOR, TROOPS)}


def _json(rel: str, edit: Edit) -> dict[str, Any]:
    """The package's own JSON file ``rel``, changed by ``edit``."""
    data = copy.deepcopy(ORIGINAL[rel])
    edit(data)
    return data


@pytest.mark.parametrize("case", METADATA)
def test_malformed_descriptor_metadata_is_a_problem_of_the_descriptor(case: str) -> None:
    edit, expected = METADATA[case]
    assert descriptor_check.metadata_problems(_json(DESCRIPTOR, edit), DESCRIPTOR) == expected


@pytest.mark.parametrize("case", METADATA_END_TO_END)
def test_malformed_descriptor_metadata_fails_validation_with_that_problem_alone(tmp_path: Path, case: str) -> None:
    edit, expected = METADATA[case]
    report = validate(edited(tmp_path, DESCRIPTOR, edit))
    assert report.problems == expected
    assert not report.ok


SCHEMA_PARTS: dict[str, tuple[Edit, list[Problem]]] = {
    "uniqueKeys naming a missing field": (
        put("uniqueKeys", value=[["fact_id", "nope"]]),
        [part('uniqueKeys[0]: "nope" is not a field of this schema', "invalid-key")],
    ),
    "uniqueKeys a list of names": (
        put("uniqueKeys", value=["fact_id"]),
        [part('uniqueKeys[0]: must be a list of field names, not "fact_id"', "invalid-key")],
    ),
    "primaryKey a number": (
        put("primaryKey", value=5),
        [part("primaryKey: must be a field name or a list of field names, not 5", "invalid-key")],
    ),
    "primaryKey naming a missing field": (
        put("primaryKey", value=["nope"]),
        [part('primaryKey: "nope" is not a field of this schema', "invalid-key")],
    ),
    "required yes": (
        in_field("metric", "constraints", "required", value="yes"),
        [
            part(
                'fields[1].constraints.required (field "metric"): must be true or false, not "yes"',
                "invalid-constraint",
                "metric",
            )
        ],
    ),
    "unique 1": (
        in_field("fact_id", "constraints", "unique", value=1),
        [
            part(
                'fields[0].constraints.unique (field "fact_id"): must be true or false, not 1',
                "invalid-constraint",
                "fact_id",
            )
        ],
    ),
    "constraints a list": (
        in_field("note", "constraints", value=["required"]),
        [
            part(
                'fields[27].constraints (field "note"): must be an object, not ["required"]',
                "invalid-constraint",
                "note",
            )
        ],
    ),
    "foreignKeys of strings": (
        put("foreignKeys", value=["source_id"]),
        [part('foreignKeys[0]: must be an object with fields and reference, not "source_id"', "invalid-foreign-key")],
    ),
    "foreignKeys an object": (
        put("foreignKeys", value={"fields": "source_id"}),
        [part('foreignKeys: must be a list of objects, not {"fields": "source_id"}', "invalid-foreign-key")],
    ),
    "foreign key reference a string": (
        put("foreignKeys", value=[{"fields": "source_id", "reference": "sources"}]),
        [part('foreignKeys[0].reference: must be an object with fields, not "sources"', "invalid-foreign-key")],
    ),
    "foreign key fields a number": (
        put("foreignKeys", value=[{"fields": 5, "reference": {"resource": "sources", "fields": "source_id"}}]),
        [part("foreignKeys[0].fields: must be a field name or a list of field names, not 5", "invalid-foreign-key")],
    ),
    "foreign key naming a missing field": (
        put("foreignKeys", value=[{"fields": ["nope"], "reference": {"resource": "sources", "fields": ["source_id"]}}]),
        [part('foreignKeys[0].fields: "nope" is not a field of this schema', "invalid-foreign-key")],
    ),
    "type a list": (
        in_field("paragraph", "type", value=["integer"]),
        [
            part(
                f'fields[23].type (field "paragraph"): ["integer"] is not a Table Schema type; {AS_TEXT}',
                "invalid-field-type",
                "paragraph",
            )
        ],
    ),
    "type unknown": (
        in_field("paragraph", "type", value="int"),
        [
            part(
                f'fields[23].type (field "paragraph"): "int" is not a Table Schema type; {AS_TEXT}',
                "invalid-field-type",
                "paragraph",
            )
        ],
    ),
    "field named twice": (
        lambda schema: schema["fields"].append({"name": "note", "type": "string"}),
        [part('fields[28].name: "note" names fields[27] too', "duplicate-field", "note")],
    ),
    "date format polars cannot read": (
        in_field("as_of", "format", value="%Q"),
        [
            part(
                f'fields[10].format (field "as_of"): "%Q" is not a date format polars can read; {AS_TEXT}',
                "invalid-format",
                "as_of",
            )
        ],
    ),
    "date format without the year": (
        in_field("as_of", "format", value="%m-%d"),
        [
            part(
                f'fields[10].format (field "as_of"): "%m-%d" cannot read back the dates it writes: 2003-01-01 is '
                f'written "01-01" and read as 0001-01-01; {AS_TEXT}',
                "invalid-format",
                "as_of",
            )
        ],
    ),
    "number with a format": (
        in_field("value", "format", value="currency"),
        [
            part(
                'fields[3].format (field "value"): "currency" is not a format of a number field (default)',
                "invalid-format",
                "value",
            )
        ],
    ),
    "trueValues a string": (
        in_field("note", "trueValues", value="yes"),
        [part('fields[27].trueValues (field "note"): must be a list of strings, not "yes"', "invalid-schema", "note")],
    ),
    "field title a number": (
        in_field("note", "title", value=5),
        [part('fields[27].title (field "note"): must be a string, not 5', "invalid-schema", "note")],
    ),
    "missingValues a string": (
        put("missingValues", value=""),
        [part('missingValues: must be a list of strings, not ""', "invalid-schema")],
    ),
}


SCHEMA_END_TO_END = [
    "uniqueKeys naming a missing field",
    "primaryKey a number",
    "required yes",
    "foreignKeys of strings",
    "foreign key reference a string",
    "type a list",
    "type unknown",
    "field named twice",
    "date format polars cannot read",
    "number with a format",
]


@pytest.mark.parametrize("case", SCHEMA_PARTS)
def test_a_malformed_schema_part_is_a_problem_of_its_schema(case: str) -> None:
    edit, expected = SCHEMA_PARTS[case]
    schema = _json(TROOPS, edit)
    before = copy.deepcopy(schema)
    clean, found = schema_parts.screen(schema, TROOPS, "", "troops")
    assert found == expected
    assert schema == before and clean != schema, "the part is set aside in a copy"


def test_a_well_formed_schema_is_used_as_it_is() -> None:
    schema = ORIGINAL[TROOPS]
    assert schema_parts.screen(schema, TROOPS, "", "troops") == (schema, [])


@pytest.mark.parametrize("case", SCHEMA_END_TO_END)
def test_a_malformed_schema_part_fails_validation_with_that_problem_alone(tmp_path: Path, case: str) -> None:
    edit, expected = SCHEMA_PARTS[case]
    report = validate(edited(tmp_path, TROOPS, edit))
    assert report.problems == expected
    assert not report.ok


def test_an_unsupported_pattern_names_the_schema_the_field_the_pattern_and_what_polars_lacks(tmp_path: Path) -> None:
    descriptor = edited(tmp_path, TROOPS, in_field("fact_id", "constraints", "pattern", value="(?=TRP)TRP-[0-9]+"))
    message = (
        "field 'fact_id': constraint \"pattern\" '(?=TRP)TRP-[0-9]+' is not a regular expression polars can run: "
        "look-around, including look-ahead and look-behind, is not supported "
        "(polars regular expressions have no look-around and no backreferences)"
    )
    assert validate(descriptor).problems == [part(message, "invalid-constraint", "fact_id")]


def test_a_schema_given_in_the_descriptor_is_named_by_its_path_there(tmp_path: Path) -> None:
    def inline(data: dict[str, Any]) -> None:
        item = data["resources"][RELATIONS]
        item["schema"] = json.loads((tmp_path / "pkg" / item["schema"]).read_text(encoding="utf-8"))
        item["schema"]["primaryKey"] = 5

    expected = Problem(
        DESCRIPTOR,
        None,
        None,
        "schema",
        f"resources[{RELATIONS}].schema.primaryKey: must be a field name or a list of field names, not 5",
        None,
        "relations",
        code="invalid-key",
    )
    assert validate(edited(tmp_path, DESCRIPTOR, inline)).problems == [expected]


def test_a_date_in_year_0_is_a_type_error_at_its_cell(tmp_path: Path) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    troops = descriptor.parent / "data" / "troops.csv"
    text = troops.read_text(encoding="utf-8")
    troops.write_text(text.replace(",2007-01-01,", ",0000-01-01,", 1), encoding="utf-8")
    rehash(descriptor)
    message = "type error: '0000-01-01' is not a valid date: year 0 is outside 1 to 9999"
    assert validate(descriptor).problems == [
        Problem("data/troops.csv", 2, 11, "schema", message, "as_of", "troops", code="type-error")
    ]


@pytest.mark.parametrize(
    ("rel", "edit", "message"),
    [
        (DESCRIPTOR, put("name", value="Iraq"), f'datapackage.json: name: "Iraq" {NAME_RULE}'),
        (TROOPS, put("primaryKey", value=5), "schemas/troops.json: primaryKey: must be a field name or a list"),
        (TROOPS, in_field("value", "format", value="%Q"), 'schemas/troops.json: fields[3].format (field "value")'),
    ],
)
def test_the_command_line_exits_1_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rel: str, edit: Edit, message: str
) -> None:
    assert main(["validate", str(edited(tmp_path, rel, edit))]) == 1
    captured = capsys.readouterr()
    assert message in captured.out
    assert "could not run" not in captured.out + captured.err and "Traceback" not in captured.err


# -- unusable input: exit 2 naming the file --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "edit", "message"),
    [
        (
            DESCRIPTOR,
            put("resources", CORRECTIONS, "name", value="relations"),
            f"datapackage.json: resources[{CORRECTIONS}]: duplicate resource name 'relations'",
        ),
        (
            TROOPS,
            lambda schema: schema["fields"][27].update(name=27),
            "schemas/troops.json: fields[27]: each field needs a name that is a non-empty string",
        ),
    ],
)
def test_a_package_that_cannot_be_read_exits_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rel: str, edit: Edit, message: str
) -> None:
    assert main(["validate", str(edited(tmp_path, rel, edit))]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("rel", [DESCRIPTOR, TROOPS])
def test_deeply_nested_json_exits_2_naming_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rel: str
) -> None:
    descriptor = copy_package(tmp_path / "pkg")
    (descriptor.parent / rel).write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    assert main(["validate", str(descriptor)]) == 2
    err = capsys.readouterr().err
    assert f"{rel}: nested deeper than {MAX_JSON_DEPTH} levels" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"bytes": ' + "1" * 5000 + "}", "x.json: invalid JSON: a number of 5000 digits, over the limit of 4300"),
        ('{"bytes": NaN}', "x.json: invalid JSON: NaN is not a JSON number"),
        ('{"bytes": -Infinity}', "x.json: invalid JSON: -Infinity is not a JSON number"),
    ],
)
def test_numbers_json_does_not_have_are_invalid_json(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackageError) as raised:
        read_json(path, "x.json")
    assert str(raised.value) == message


def test_json_nesting_is_read_up_to_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    for depth, ok in [(MAX_JSON_DEPTH - 1, True), (MAX_JSON_DEPTH, True), (MAX_JSON_DEPTH + 1, False)]:
        path.write_text('{"a":' * (depth - 1) + "{}" + "}" * (depth - 1), encoding="utf-8")
        if ok:
            assert read_json(path, "x.json")
        else:
            with pytest.raises(PackageError, match=f"x.json: nested deeper than {MAX_JSON_DEPTH} levels"):
                read_json(path, "x.json")


# -- the naming rules at their bounds ------------------------------------------------------------------------------


def _codes(descriptor: dict[str, Any]) -> list[str]:
    return [p.code for p in descriptor_check.metadata_problems(descriptor, DESCRIPTOR)]


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("a" * 99, True),
        ("a" * 100, True),
        ("a" * 101, False),
        ("", False),
        ("0.1_x-y", True),
        (".", False),
        ("..", False),
        (".hidden", False),
        ("-rf", False),
        ("_x", False),
        ("a/b", False),
        ("a\\b", False),
        ("a b", False),
        ("aé", False),
        ("A", False),
    ],
)
def test_the_name_rule(name: str, ok: bool) -> None:
    resources = [{"name": "x", "path": "x.csv"}]
    assert _codes({"name": name, "resources": resources}) == ([] if ok else ["invalid-name"])
    assert _codes({"name": "p", "resources": [{"name": name, "path": "x.csv"}]}) == ([] if ok else ["invalid-name"])


@pytest.mark.parametrize(
    ("version", "ok"),
    [
        ("0.1.0", True),
        ("1.0.0-beta+exp.sha.5114f85", True),
        ("1" * 64, True),
        ("1" * 65, False),
        ("", False),
        (".1", False),
        ("1/2", False),
        ("1 2", False),
        ("1:2", False),
    ],
)
def test_the_version_rule(version: str, ok: bool) -> None:
    resources = [{"name": "x", "path": "x.csv"}]
    assert _codes({"version": version, "resources": resources}) == ([] if ok else ["invalid-version"])


@pytest.mark.parametrize(
    ("created", "ok"),
    [
        ("2026-11-21T00:00:00Z", True),
        ("2026-11-21t00:00:00z", True),
        ("1985-04-12T23:20:50.52Z", True),
        ("1996-12-19T16:39:57-08:00", True),
        ("2026-11-21 00:00:00Z", False),
        ("2026-11-21", False),
        ("2026-02-30T00:00:00Z", False),
        ("0000-01-01T00:00:00Z", False),
        ("2026-11-21T24:00:00Z", False),
    ],
)
def test_the_created_rule(created: str, ok: bool) -> None:
    resources = [{"name": "x", "path": "x.csv"}]
    assert _codes({"created": created, "resources": resources}) == ([] if ok else ["invalid-created"])


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (1, True), (-1, False), (1.5, False), ("1", False), (None, False), (False, False)],
)
def test_the_bytes_rule(value: Any, ok: bool) -> None:
    resources = [{"name": "x", "path": "x.csv", "bytes": value}]
    assert _codes({"resources": resources}) == ([] if ok else ["invalid-bytes"])


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("sha256:" + "0f" * 32, True),
        ("md5:" + "0" * 32, True),
        ("0" * 32, True),
        ("crc32:00000000", True),
        ("sha256:", False),
        ("sha256:xyz", False),
        ("", False),
        (["sha256:00"], False),
    ],
)
def test_the_hash_rule(value: Any, ok: bool) -> None:
    resources = [{"name": "x", "path": "x.csv", "hash": value}]
    assert _codes({"resources": resources}) == ([] if ok else ["invalid-hash"])
