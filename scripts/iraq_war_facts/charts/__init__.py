"""Charts of the package, each in English and Arabic, as SVG and PNG, with an index of their alt text and facts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iraq_war_facts.analysis import Analysis
from iraq_war_facts.errors import require

require("matplotlib", "charts")  # before the chart modules import it: one line naming the extra, not a traceback

from iraq_war_facts.charts import costs, deaths, discrepancies, displacement, style, troops  # noqa: E402

# The drawing code of each chart, by the name ``charts.csv`` gives it: draw(analysis, spec, lang) -> Drawn.
DRAWERS = {m.__name__.rsplit(".", 1)[1]: m for m in (troops, deaths, costs, displacement, discrepancies)}
INDEX = "index.json"


def build_charts(data: Analysis, directory: Path) -> list[dict[str, Any]]:
    """Draw every chart of ``charts.csv`` in every language into ``directory``; write and return the index entries.

    A chart without drawing code of its name is skipped (the validator reports it).
    """
    directory.mkdir(parents=True, exist_ok=True)
    entries = []
    with style.context():
        for spec in data.charts.values():
            module = DRAWERS.get(spec.name)
            if module is None:
                continue
            for lang in style.LANGS:
                drawn = module.draw(data, spec, lang)
                drawn.rights = f"{style.licence_line(data)}. Figures are claims as stated by their sources."
                svg, png = style.save(drawn, directory)
                entries.append(
                    {
                        "chart": drawn.name,
                        "lang": lang,
                        "title": drawn.title,
                        "svg": svg.name,
                        "png": png.name,
                        "width": style.WIDTH_IN * style.DPI,
                        "height": style.HEIGHT_IN * style.DPI,
                        "alt": drawn.alt,
                        "description": drawn.description or drawn.alt,
                        "fact_ids": drawn.fact_ids,
                        "event_ids": drawn.event_ids,
                        "derived_ids": drawn.derived_ids,
                    }
                )
                drawn.fig.clear()
    index = {
        "package": data.name,
        "version": data.version,
        "licence": data.licence,
        "attribution": data.attribution,
        "charts": entries,
    }
    (directory / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return entries
