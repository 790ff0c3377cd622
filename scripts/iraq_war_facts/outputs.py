"""Where the commands write: one rule for every output folder, and one atomic writer for the files a package keeps.

An output folder (``report --out``, ``build --dist``, the reports of ``build --with-reports``) is refused with
:class:`OutputError` (exit 1) when it is, contains or lies inside the package's own files (its folder, an ancestor of
it, or a folder holding a file the descriptor names, such as ``data/`` or ``schemas/``), when it is or contains the
current folder, when it is a symlink or not a folder, and when it exists, is not empty and was not made by this tool
for the same kind of output (the marker file :data:`MARKER` says so). Paths are compared as real paths.

:func:`replacing` builds the new folder in a temporary folder beside the output (``.NAME.tmp-XXXXXXXX``), removed on
any error or interruption, and swaps it into place only when complete: folders 0755, files 0644, the marker inside.
Runs into one folder are serialised by a lock file beside it (``.NAME.lock``, held through the operating system, so a
killed run never leaves it locked); under that lock, temporary folders that a killed run left behind are removed.

:func:`write_text` rewrites one file of the package (the descriptor, README.md, CONTRIBUTING.md) atomically, never
through a symlink.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from iraq_war_facts.errors import INVALID, IWFError
from iraq_war_facts.package import Package

MARKER = ".iraq-war-facts-output"
KINDS = {"reports": "report", "release": "build"}  # kind of output -> the command that makes it
DEFAULTS = {"reports": "reports", "release": "dist"}  # kind of output -> its folder beside the descriptor
FILE_MODE = 0o644
DIR_MODE = 0o755
MARKER_LIMIT = 256


class OutputError(IWFError):
    """A write was refused: the output folder or file is not one this tool may replace. Nothing was written."""

    exit_code = INVALID

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


def marker_text(kind: str) -> str:
    """The content of the marker of an output folder of ``kind``: small, fixed, readable."""
    return f"{kind} made by `iraq-war-facts {KINDS[kind]}`, which replaces this folder whole on its next run\n"


# --- the rule --------------------------------------------------------------------------------------------------


def _real(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute, with its parent's symlinks resolved (the last part is kept, to be checked)."""
    full = Path(os.path.abspath(path))
    return full if full.parent == full else full.parent.resolve() / full.name


def _advice(kind: str, pkg: Package) -> str:
    return f"choose another folder, such as {DEFAULTS[kind]}/ beside {pkg.descriptor_path.name}"


def _own_files(pkg: Package) -> list[Path]:
    """The files the descriptor names: itself, every resource and every schema file."""
    files = [pkg.descriptor_path]
    for res in pkg.resources.values():
        files.append(res.path)
        if isinstance(res.descriptor.get("schema"), str):
            files.append(pkg.root / res.descriptor["schema"])
    return [f.resolve() for f in files]


def _confinement(real: Path, pkg: Package) -> str | None:
    """Why ``real`` may not be an output folder of ``pkg``, or None."""
    root = pkg.root.resolve()
    if real == root:
        return "is the package's own folder"
    if real in root.parents:
        return f"contains the package ({pkg.descriptor_path.name})"
    files = _own_files(pkg)
    for own in files:
        if real == own:
            return "is a file of the package"
        for folder in own.parents:
            if folder == root:
                break
            rel = folder.relative_to(root).as_posix()
            if real == folder:
                return f"is {rel}/, a folder of the package's own files"
            if folder in real.parents:
                return f"lies inside {rel}/, a folder of the package's own files"
    cwd = Path.cwd().resolve()
    if real == cwd:
        return "is the current folder"
    if real in cwd.parents:
        return "contains the current folder"
    return None


def _made_by(folder: Path) -> str | None:
    """The kind of output the marker inside ``folder`` names, or None when there is no marker of this tool."""
    marker = folder / MARKER
    try:
        if not stat.S_ISREG(marker.lstat().st_mode) or marker.stat().st_size > MARKER_LIMIT:
            return None
        text = marker.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return next((kind for kind in KINDS if text == marker_text(kind)), None)


def _state(real: Path, kind: str) -> str | None:
    """Why the existing ``real`` may not be replaced by an output of ``kind``, or None (absent, empty or ours)."""
    try:
        mode = real.lstat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(mode):
        return "is a symlink; outputs are never written through one"
    if not stat.S_ISDIR(mode):
        return "exists and is not a folder; refusing to replace it"
    made = _made_by(real)
    if made == kind:
        return None
    if made is not None:
        return f"holds the {made} of `iraq-war-facts {KINDS[made]}`, not {kind}; refusing to replace it"
    if next(real.iterdir(), None) is None:
        return None
    return f"exists and was not made by iraq-war-facts (it has no {MARKER}), so it is left as it is"


def check(path: str | os.PathLike[str], kind: str, pkg: Package) -> Path:
    """The real path of the output folder ``path`` of ``kind`` for the package ``pkg``, or :class:`OutputError`."""
    real = _real(path)
    reason = _confinement(real, pkg) or _state(real, kind)
    if reason is None:
        return real
    raise OutputError(str(path), f"{reason}; {_advice(kind, pkg)}")


def check_all(targets: Iterable[tuple[str | os.PathLike[str], str]], pkg: Package) -> None:
    """:func:`check` each output folder (path, kind) and refuse two that are the same or one inside the other."""
    seen: list[tuple[Path, str]] = []
    for path, kind in targets:
        real = check(path, kind, pkg)
        for other, other_kind in seen:
            if real == other or other in real.parents or real in other.parents:
                how = "is" if real == other else "lies inside" if other in real.parents else "contains"
                raise OutputError(str(path), f"{how} the {other_kind} folder; {_advice(kind, pkg)}")
        seen.append((real, kind))


# --- writing an output folder ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staging:
    """Where a run writes: ``folder`` becomes the output; ``scratch`` is for work files that never ship."""

    folder: Path
    scratch: Path


def files(root: Path) -> list[Path]:
    """Every file under ``root`` in the order of their relative POSIX paths, without the marker."""
    found = (p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and p != root / MARKER)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def normalise_modes(root: Path) -> None:
    """0755 folders and 0644 files, whatever the umask and mkdtemp's 0700."""
    root.chmod(DIR_MODE)
    for p in root.rglob("*"):
        if not p.is_symlink():
            p.chmod(DIR_MODE if p.is_dir() else FILE_MODE)


def _temporary(real: Path) -> re.Pattern[str]:
    """The names that mkdtemp gives this output's temporary folders."""
    return re.compile(re.escape(f".{real.name}.tmp-") + r"[A-Za-z0-9_]{8}")


def _remove_stale(real: Path) -> None:
    """Remove the temporary folders of this output that a killed run left; only ever called under the lock."""
    pattern = _temporary(real)
    for entry in real.parent.iterdir():
        if pattern.fullmatch(entry.name) and stat.S_ISDIR(entry.lstat().st_mode):
            shutil.rmtree(entry, ignore_errors=True)


def _swap(new: Path, real: Path, attic: Path) -> None:
    """Put ``new`` in place of ``real``; the previous ``real`` goes into ``attic`` and comes back on failure."""
    old = attic / "old"
    moved = False
    if os.path.lexists(real):
        real.rename(old)
        moved = True
    try:
        new.rename(real)
    except BaseException:
        if moved:
            old.rename(real)
        raise


@contextmanager
def replacing(path: str | os.PathLike[str], kind: str, pkg: Package) -> Iterator[Staging]:
    """Yield a fresh staging folder for an output of ``kind`` at ``path``; when the block ends without error, put it
    in place of ``path`` (marked, modes normalised). Refuses (:class:`OutputError`) as :func:`check` does, before and
    again under the lock. On any error or interruption the previous output stays and the staging folder goes."""
    real = check(path, kind, pkg)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(real.parent / f".{real.name}.lock", mode=FILE_MODE)
        lock.acquire()
    except OSError as exc:
        raise OutputError(str(path), f"cannot lock the output folder: {exc.strerror or exc}") from None
    try:
        _remove_stale(real)
        check(path, kind, pkg)  # another run may have changed it while this one waited
        try:
            attic = Path(tempfile.mkdtemp(prefix=f".{real.name}.tmp-", dir=real.parent))
        except OSError as exc:
            raise OutputError(str(path), f"cannot write beside it: {exc.strerror or exc}") from None
        try:
            staging = Staging(attic / "new", attic / "work")
            staging.folder.mkdir()
            staging.scratch.mkdir()
            yield staging
            (staging.folder / MARKER).write_text(marker_text(kind), encoding="utf-8")
            normalise_modes(staging.folder)
            _swap(staging.folder, real, attic)
        finally:
            shutil.rmtree(attic, ignore_errors=True)
    finally:
        lock.release()


# --- one file of the package -----------------------------------------------------------------------------------


def check_file(path: Path) -> int:
    """The permission bits ``path`` keeps when :func:`write_text` replaces it (0644 for a new file); refuses
    (:class:`OutputError`) when ``path`` or its folder is a symlink or ``path`` is not a regular file."""
    path = Path(path)
    for part, what in ((path, "is a symlink"), (path.parent, "is in a folder that is a symlink")):
        if part.is_symlink():
            raise OutputError(str(path), f"{what}; files are never written through one")
    try:
        info = path.lstat()
    except FileNotFoundError:
        return FILE_MODE
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(str(path), "is not a regular file; refusing to replace it")
    return stat.S_IMODE(info.st_mode)


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` by ``text`` (UTF-8) atomically: a temporary file in the same folder, then a rename, refused
    as :func:`check_file` says. The file keeps its permission bits."""
    path = Path(path)
    mode = check_file(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
