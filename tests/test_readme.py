"""The README is for readers: at most 200 lines, the data dictionary linked rather than embedded, every link to a
file of the repository alive, and every Python and shell example run, against a release built into a temporary
folder and laid out as a reader has it: the unzipped bundle with the other downloads saved into it.

An HTML comment on the line before a fenced block tells how it is run (none: in that folder):
``<!-- readme-test: repository -->`` in the repository instead (commands that read it and write nothing);
``<!-- readme-test: append ARGS -->`` with ARGS appended (a server that would run until stopped);
``<!-- readme-test: ci -->`` not here but by ``.ci/run`` in a fresh clone, which must run its lines as written;
``<!-- readme-test: skip REASON -->`` not at all, with the reason shown.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow(8)  # seconds, roughly: the order in which workers take the slow files

README = ROOT / "README.md"
MAX_LINES = 200
RUNNABLE = ("python", "sh", "bash", "console")
DIRECTIVE = re.compile(r"<!-- readme-test: (?P<kind>\w+) ?(?P<arg>.*?) -->")
FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```$", re.M | re.S)
TIMEOUT = 120


@dataclass(frozen=True)
class Block:
    """A fenced block of a Markdown file: where it starts, its language, its text and the directive before it."""

    line: int
    lang: str
    body: str
    kind: str | None = None
    arg: str = ""

    def commands(self) -> list[str]:
        """The command lines of a shell block (a console block's lines after ``$ ``), comments and blanks aside."""
        lines = self.body.splitlines()
        if self.lang == "console":
            lines = [line[2:] for line in lines if line.startswith("$ ")]
        return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def blocks(text: str) -> list[Block]:
    """Every fenced block of ``text`` with the directive of the line just before it, if any."""
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        directive = DIRECTIVE.fullmatch(before.strip())
        kind, arg = (directive.group("kind"), directive.group("arg")) if directive else (None, "")
        found.append(Block(text.count("\n", 0, match.start()) + 1, match.group("lang"), match.group("body"), kind, arg))
    return found


TEXT = README.read_text(encoding="utf-8")
EXAMPLES = [b for b in blocks(TEXT) if b.lang in RUNNABLE]


def test_examples_are_found_and_each_directive_is_known() -> None:
    assert len(EXAMPLES) == len(re.findall(rf"^```(?:{'|'.join(RUNNABLE)})$", TEXT, flags=re.M)) >= 8
    for block in blocks(TEXT):
        assert block.kind in {None, "repository", "append", "ci", "skip"}, f"README.md:{block.line}: {block.kind}"
        assert block.kind is None or block.lang in RUNNABLE, f"README.md:{block.line}: a directive on a {block.lang}"
        assert block.kind != "skip" or block.arg, f"README.md:{block.line}: a skip gives its reason"


def test_blocks_are_parsed_with_their_directives() -> None:
    text = "a\n<!-- readme-test: append --get /x -->\n```sh\ncmd\n```\n\n```python\nprint(1)\n```\n"
    text += "```console\n$ ls\nout\n```\n"
    assert blocks(text) == [
        Block(3, "sh", "cmd\n", "append", "--get /x"),
        Block(7, "python", "print(1)\n"),
        Block(10, "console", "$ ls\nout\n"),
    ]
    assert blocks(text)[2].commands() == ["ls"]


@pytest.fixture(scope="module")
def download(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release as a reader has it: the bundle unzipped, the other files of the release saved into its folder."""
    from iraq_war_facts.build import build

    dist = tmp_path_factory.mktemp("release") / "dist"
    build(dist, ROOT / "datapackage.json")
    [bundle] = dist.glob("*.zip")
    unzipped = tmp_path_factory.mktemp("download")
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unzipped)
    [descriptor] = unzipped.glob("**/datapackage.json")
    folder = descriptor.parent
    for path in dist.iterdir():
        if path.suffix != ".zip" and not (folder / path.name).exists():
            (shutil.copytree if path.is_dir() else shutil.copyfile)(path, folder / path.name)
    return folder


def run_shell(block: Block, cwd: Path) -> None:
    """Run each command of ``block`` in ``cwd`` with this environment's programs first on PATH."""
    env = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    for command in block.commands():
        if block.kind == "append":
            command = f"{command} {block.arg}"
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        assert proc.returncode == 0, f"README.md:{block.line}: {command}\n{proc.stdout}\n{proc.stderr}"
        assert proc.stdout.strip(), f"README.md:{block.line}: {command} printed nothing"


@pytest.mark.parametrize("block", EXAMPLES, ids=[f"line-{b.line}-{b.lang}" for b in EXAMPLES])
def test_every_example_runs(
    block: Block, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if block.kind == "skip":
        pytest.skip(block.arg)
    if block.kind == "ci":
        script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        for command in block.commands():
            assert command in script, f"README.md:{block.line}: .ci/run does not run {command!r} as written"
        return
    if block.kind == "repository":
        if not (ROOT / shlex.split(block.commands()[0])[0]).exists():
            pytest.skip(f"{shlex.split(block.commands()[0])[0]} is made by the README's commands; not here yet")
        cwd = ROOT
    else:
        cwd = request.getfixturevalue("download")
    if block.lang != "python":
        run_shell(block, cwd)
        return
    monkeypatch.chdir(cwd)
    exec(compile(block.body, f"README.md:{block.line}", "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out.strip(), f"README.md:{block.line}: the example printed nothing"


def test_the_readme_is_short_and_links_the_generated_dictionary() -> None:
    assert len(TEXT.splitlines()) <= MAX_LINES
    assert "data-dictionary:start" not in TEXT and "](docs/data-dictionary.md)" in TEXT
    assert TEXT.index("## How to cite") < TEXT.index("## Working on the package"), "readers first"


def test_the_citation_names_the_version_of_the_package() -> None:
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert re.findall(r"\(version ([^)]+)\)", TEXT) == [version]


def test_every_link_to_a_file_of_the_repository_resolves() -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", TEXT)
    local = [link.split("#")[0] for link in links if not re.match(r"[a-z]+:|#", link)]
    assert local
    for link in local:
        assert (ROOT / link).exists(), link


def test_the_table_of_contents_names_every_resource() -> None:
    names = [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    section = TEXT.split("## What is in it", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"`([a-z_]+)`", "\n".join(line.split("|")[1] for line in section.splitlines() if "|" in line))
    assert sorted(listed) == sorted(names)


def yaml_examples() -> list[Any]:
    return [yaml.safe_load(b.body) for b in blocks(TEXT) if b.lang == "yaml"]


def test_the_ci_examples_use_the_action_s_inputs_and_the_hook_s_id() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    home = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))["repository-code"]
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    steps = [
        s for doc in yaml_examples() if isinstance(doc, list) for s in doc if "iraq-war-facts" in s.get("uses", "")
    ]
    [step] = steps
    assert step["uses"] == f"{home.removeprefix('https://github.com/')}@v{version}"
    assert set(step.get("with", {})) <= set(action["inputs"])
    [config] = [doc for doc in yaml_examples() if isinstance(doc, dict) and "repos" in doc]
    [repo] = config["repos"]
    assert repo["repo"] == home and repo["rev"] == f"v{version}"
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks}
