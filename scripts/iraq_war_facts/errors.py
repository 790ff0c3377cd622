"""The errors of the library, each carrying the exit status the command line gives it.

Every error a user can cause derives from :class:`IWFError`; its message names where the problem is.
``iraq_war_facts.cli`` catches this one class and exits with its ``exit_code``: 1 when the package was
read but refused, 2 when the input cannot be used (a missing or malformed file, a missing optional library).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType

INVALID = 1
UNUSABLE = 2
DISTRIBUTION = "iraq-war-facts"


class IWFError(Exception):
    """An error with a message for the user and the exit status of the command that met it."""

    exit_code = UNUSABLE


class PackageError(IWFError):
    """The package cannot be read: a missing, unsafe, oversized or malformed file."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message


class InvalidPackage(IWFError):
    """The package does not validate: nothing is computed from it."""

    exit_code = INVALID

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(self.problems)
        super().__init__(f"the package is invalid ({len(self.problems)} problem(s)); no report is built:\n{lines}")


class BuildError(IWFError):
    """The release cannot be built; ``problems`` lists the reasons, one line each."""

    exit_code = INVALID

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.problems = list(problems)
        super().__init__("\n".join([message, *self.problems]))


class WheelError(BuildError):
    """No build front end could make the wheel."""


class MissingDependency(IWFError):
    """An optional library is not installed; the message is one line naming what to install."""

    def __init__(self, module: str, extra: str) -> None:
        self.module = module.split(".")[0]
        self.extra = extra
        super().__init__(f'{self.module} is not installed: pip install "{DISTRIBUTION}[{extra}]"')


def require(module: str, extra: str) -> ModuleType:
    """Import the optional ``module`` (installed with the ``extra`` of the distribution) or raise MissingDependency."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not (module == exc.name or module.startswith(exc.name + ".")):
            raise  # the module is there but something it imports is missing: a broken install, not a missing extra
        raise MissingDependency(module, extra) from None
