"""Keep the descriptor's ``hash`` and ``bytes`` honest: computed from the files, never typed."""

from __future__ import annotations

import json
from pathlib import Path

from iraq_war_facts.outputs import write_text
from iraq_war_facts.package import DESCRIPTOR, load, sha256_file


def stale_hashes(descriptor: Path) -> list[str]:
    """Names of resources whose declared hash or bytes differ from their file."""
    pkg = load(descriptor)
    stale = []
    for res in pkg.resources.values():
        want_hash = f"sha256:{sha256_file(res.path)}"
        if res.descriptor.get("hash") != want_hash or res.descriptor.get("bytes") != res.path.stat().st_size:
            stale.append(res.name)
    return stale


def rehash(descriptor: Path) -> list[str]:
    """Rewrite ``hash`` and ``bytes`` of every resource; return the names that changed.

    The descriptor is replaced atomically and never through a symlink
    (:class:`~iraq_war_facts.outputs.OutputError`)."""
    changed = stale_hashes(descriptor)
    if not changed:
        return []
    pkg = load(descriptor)
    data = json.loads(pkg.descriptor_path.read_text(encoding="utf-8"))
    for item in data["resources"]:
        res = pkg.resources[item["name"]]
        item["hash"] = f"sha256:{sha256_file(res.path)}"
        item["bytes"] = res.path.stat().st_size
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    given = Path(descriptor)
    write_text(given / DESCRIPTOR if given.is_dir() else given, text)  # as given: a symlinked descriptor is refused
    return changed
