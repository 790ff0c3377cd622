"""iraq-war-facts: quantitative facts about the 2003-2021 Iraq war, cited from Arabic articles."""

__version__ = "0.1.0"
