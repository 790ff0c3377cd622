"""The web edition, in English and Arabic: an overview, a table of every row, a page per fact, derived figure, event
and source. Static files with relative links only; every phrase comes from :mod:`iraq_war_facts.wording` or the
codebook, every id links to its page in the same language, and the pages are a pure function of the analysis (plus
the repository named by ``CITATION.cff`` when the package has one).

Modules, each using only those above it:

- :mod:`.base`: the site (which ids have pages), a page and how it links, the wording of records;
- :mod:`.records`: the table of every row (``facts.html``, and the rows citing each source);
- :mod:`.pages`: a page per fact, derived figure, event and source, and the sections they share;
- :mod:`.overview`: the overview (key numbers, disagreements, charts, downloads, licence, how to cite) and its JSON-LD;
- :mod:`.frame`: the frame of every page (head, header, footer) and :func:`write_site`, which writes both editions.
"""

from iraq_war_facts.report.web.base import MAX_ALT, Page, Site, repository
from iraq_war_facts.report.web.frame import write_site
from iraq_war_facts.report.web.overview import json_ld, short_alt

__all__ = ["MAX_ALT", "Page", "Site", "json_ld", "repository", "short_alt", "write_site"]
