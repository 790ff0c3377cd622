"""Entry point for ``python -m iraq_war_facts``."""

from iraq_war_facts.cli import main

raise SystemExit(main())
