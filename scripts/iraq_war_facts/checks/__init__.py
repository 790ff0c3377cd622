"""Check families. Each module exposes ``check(ctx: Context) -> Iterable[Problem]``; none writes anything."""
