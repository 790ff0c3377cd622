"""iraq-war-facts: quantitative facts about the 2003-2021 Iraq war, cited from Arabic articles.

``__version__`` is the release's version: the ``version`` of ``datapackage.json``, which the data, the wheel (its
version is read from here by ``pyproject.toml``), ``CITATION.cff`` and the ``CHANGELOG.md`` all carry; a test keeps
them equal (docs/releasing.md).
"""

__version__ = "0.1.0"
