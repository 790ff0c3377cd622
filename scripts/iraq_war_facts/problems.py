"""The catalogue of problem types: every kind of problem the validator reports, as frictionless has error types.

Each problem the checks report carries one of these codes (:attr:`iraq_war_facts.checks.base.Problem.code`). A type
names the check family that reports it, a short title and one line on how to fix it. The section "What the
validator's errors mean" of CONTRIBUTING.md is generated from this catalogue (:mod:`iraq_war_facts.docs`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A check family as CONTRIBUTING introduces it (under ``heading``, or its name)."""

    name: str
    intro: str
    heading: str | None = None


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: a stable kebab-case code, its family, a short title and how to fix it."""

    code: str
    family: str
    title: str
    fix: str


FAMILIES: tuple[Family, ...] = (
    Family(
        "descriptor",
        "A property of `datapackage.json` has the wrong type or shape for Data Package v2, or a name that becomes a "
        "file name breaks the naming rule. The message gives the property's JSON path, e.g. `resources[3].name`; "
        "fix it there. The tables are read and checked all the same.",
    ),
    Family(
        "schema",
        "The file does not match its Table Schema in `schemas/`: its header, the shape of its rows, the type of a "
        "cell, a constraint, a key. Fix the cell at the reported line and column; change a schema only on purpose, "
        "and then regenerate the README with `rehash`.",
    ),
    Family(
        "hygiene",
        "The text of a file is not clean, or no longer matches the descriptor. Save files as UTF-8 without BOM with "
        "LF line endings, remove stray characters (quotes keep the source's own characters: copy them, never retype), "
        "and run `rehash` after every data edit.",
    ),
    Family(
        "rules",
        "A row is inconsistent in a way a Table Schema cannot express. Read the message: it names the fields; fix "
        "the row, not the rule.",
    ),
    Family(
        "relations",
        "A declared relation in `data/relations.csv`, or a derived figure, does not hold or cannot be evaluated. "
        "Either a value is misread (check both quotes) or the relation is wrong (the facts do not cover the same "
        "party, period or cause). Never widen a `tolerance` to make a relation pass without saying why in its `note`.",
    ),
    Family(
        "citations",
        "Needs `--sources`. A source text is not the registered one, or a quote is not where its row says or does "
        "not state its figure. Fix the row so that a reader can find the number in the quote.",
    ),
    Family(
        "claims",
        "Needs `--sources`. A row's qualifier or claim type disagrees with the words its source puts around the "
        "figure, as the cues of `data/cues.csv` read them: a hedge (حوالي, أكثر من, على الأقل...) or a future "
        "tense (سيبقى, من المقرر...). Fix the row; or, when the text's word is a hedge or marker the cues lack, add "
        "it to `data/cues.csv` (no code changes).",
    ),
    Family(
        "completeness",
        "Needs `--sources`. A number of a source text is not curated yet. "
        "`python -m iraq_war_facts mentions FILE --uncovered` lists exactly these mentions.",
    ),
    Family(
        "any",
        "A check family itself failed; the problem is reported under the family's name.",
        "any family",
    ),
)

CATALOGUE: tuple[ProblemType, ...] = (
    # -- schema: reading the file --------------------------------------------------------------------------------
    ProblemType(
        "empty-file",
        "schema",
        "The file is empty",
        "Write the header row: the schema's field names, comma-separated (a table without rows keeps its header).",
    ),
    ProblemType(
        "csv-unparseable",
        "schema",
        "The file cannot be parsed as CSV",
        'Close the open quoted cell, and quote every cell holding a comma, quote or line break (a quote inside is "").',
    ),
    ProblemType(
        "blank-header",
        "schema",
        "A header cell is blank",
        "Write the schema's field name in that header cell.",
    ),
    ProblemType(
        "header-line-break",
        "schema",
        "The header row spans lines",
        "Write the header on the first line: no line break or unclosed quote inside a quoted name.",
    ),
    ProblemType(
        "duplicate-header",
        "schema",
        "A header name is repeated",
        "Remove or rename the repeated column so that the header names each schema field once.",
    ),
    ProblemType(
        "header-mismatch",
        "schema",
        "A header name differs from the schema",
        "Name the columns as the schema's fields, in its order; rename a field in both places only on purpose.",
    ),
    ProblemType(
        "extra-header",
        "schema",
        "The header has a column the schema does not",
        "Remove the column, or add the field to the schema on purpose (then `rehash`).",
    ),
    ProblemType(
        "missing-header",
        "schema",
        "The header lacks a column of the schema",
        "Add the column the message names at its place, with a cell in every row.",
    ),
    ProblemType(
        "extra-cell",
        "schema",
        "A row has more cells than the header",
        "Remove the extra cells, or quote the cell whose comma split it.",
    ),
    ProblemType(
        "missing-cell",
        "schema",
        "A row has fewer cells than the header",
        "Add the missing cells (an empty cell is still written: one comma per field).",
    ),
    ProblemType(
        "blank-row",
        "schema",
        "A row is blank",
        "Delete the empty line.",
    ),
    ProblemType(
        "type-error",
        "schema",
        "A cell is not of its field's type",
        "Write the value as its type requires: a plain number without separators, a date as YYYY-MM-DD.",
    ),
    ProblemType(
        "number-not-finite",
        "schema",
        "A number is not finite (NaN, inf)",
        "Write the figure the quote states; leave the cell empty when there is none.",
    ),
    ProblemType(
        "number-out-of-range",
        "schema",
        "A number is beyond its type or too long",
        "Check the figure: a number fits a 64-bit float (an integer 64 bits) in at most 100 characters.",
    ),
    # -- schema: constraints and keys -----------------------------------------------------------------------------
    ProblemType(
        "required",
        "schema",
        "A required or primary-key cell is empty",
        "Fill the cell: the field may not be empty.",
    ),
    ProblemType(
        "unique",
        "schema",
        "A value of a unique field is repeated",
        "Change or remove the repeat; the message names the line where the value first occurs.",
    ),
    ProblemType(
        "enum",
        "schema",
        "A value is not one of those the schema allows",
        "Use one of the values the message lists (spelled exactly), or add the value to the schema on purpose.",
    ),
    ProblemType(
        "categories",
        "schema",
        "A value is not one of the field's categories",
        "Use one of the categories the message lists, or add the category to the schema on purpose.",
    ),
    ProblemType(
        "minimum",
        "schema",
        "A value is below the field's minimum",
        "Check the value against its quote and correct it; the schema's bounds are deliberate.",
    ),
    ProblemType(
        "maximum",
        "schema",
        "A value is above the field's maximum",
        "Check the value against its quote and correct it; the schema's bounds are deliberate.",
    ),
    ProblemType(
        "exclusive-minimum",
        "schema",
        "A value is not above the field's exclusive minimum",
        "Check the value against its quote and correct it; the schema's bounds are deliberate.",
    ),
    ProblemType(
        "exclusive-maximum",
        "schema",
        "A value is not below the field's exclusive maximum",
        "Check the value against its quote and correct it; the schema's bounds are deliberate.",
    ),
    ProblemType(
        "min-length",
        "schema",
        "A text is shorter than the field allows",
        "Complete the text; it has fewer characters than the schema's minLength.",
    ),
    ProblemType(
        "max-length",
        "schema",
        "A text is longer than the field allows",
        "Shorten the text to the schema's maxLength.",
    ),
    ProblemType(
        "pattern",
        "schema",
        "A value does not match the field's pattern",
        "Write the value in the form the pattern asks (ids: prefix, hyphen, digits, e.g. `TRP-0001`).",
    ),
    ProblemType(
        "constraint",
        "schema",
        "A value fails another constraint of its field",
        "Read the constraint the message names in the field's schema and correct the value.",
    ),
    ProblemType(
        "constraint-not-checked",
        "schema",
        "A constraint could not be checked on a column",
        "Read the reason the message gives; usually the constraint does not suit the field's type: fix the schema.",
    ),
    ProblemType(
        "invalid-constraint",
        "schema",
        "A constraint of the schema is invalid",
        "Correct the constraint in `schemas/` (a valid regular expression, a list for enum, a bound of the type).",
    ),
    ProblemType(
        "primary-key",
        "schema",
        "A primary key is repeated",
        "Give the row an id of its own (the next free number); the message names the line it duplicates.",
    ),
    ProblemType(
        "unique-key",
        "schema",
        "A unique key is repeated",
        "Change one of the two rows so that their key fields differ; the message names the line it duplicates.",
    ),
    ProblemType(
        "foreign-key",
        "schema",
        "A foreign key points nowhere",
        "Use a value the referenced resource holds, or add it there first (a new code goes into `data/codebook.csv`).",
    ),
    ProblemType(
        "foreign-key-not-checked",
        "schema",
        "A foreign key could not be checked",
        "Fix the referenced resource so that it can be read, or the reference so that it names an existing field.",
    ),
    ProblemType(
        "invalid-foreign-key",
        "schema",
        "A foreign key of the schema is invalid",
        "List fields of this schema, and as many fields of the referenced resource, in `schemas/`.",
    ),
    # -- schema: the schema itself --------------------------------------------------------------------------------
    ProblemType(
        "invalid-field-type",
        "schema",
        "A field's type is not a Table Schema type",
        "Give one type name: string, number, integer, boolean, date, datetime, year...; until then it is read as text.",
    ),
    ProblemType(
        "invalid-format",
        "schema",
        "A field's format cannot be used",
        "Use default, or for a date a pattern polars reads with the year, e.g. %d/%m/%Y.",
    ),
    ProblemType(
        "duplicate-field",
        "schema",
        "A schema names a field twice",
        "Remove or rename the second field: each field stands for one column of the CSV.",
    ),
    ProblemType(
        "invalid-key",
        "schema",
        "A primary or unique key is malformed or names a missing field",
        "primaryKey: a field name or a list of names; uniqueKeys: a list of such lists; only fields of the schema.",
    ),
    ProblemType(
        "invalid-schema",
        "schema",
        "A property of the schema has the wrong type or shape",
        "Give the property the type the message names (Table Schema v2), e.g. missingValues a list of strings.",
    ),
    # -- hygiene --------------------------------------------------------------------------------------------------
    ProblemType(
        "not-utf8",
        "hygiene",
        "The file is not valid UTF-8",
        "Save the file as UTF-8; the message names the first bad byte and its line.",
    ),
    ProblemType(
        "bom",
        "hygiene",
        "The file starts with a byte order mark",
        "Save the file as UTF-8 without BOM.",
    ),
    ProblemType(
        "stray-space",
        "hygiene",
        "A cell starts or ends with whitespace",
        "Strip the whitespace at the ends of the cell.",
    ),
    ProblemType(
        "formula-cell",
        "hygiene",
        "A cell would run as a spreadsheet formula",
        "Reword the cell so that it does not start with =, +, -, @, a tab or a CR (a negative number is fine).",
    ),
    ProblemType(
        "control-character",
        "hygiene",
        "A cell holds a control character",
        "Delete the character the message names (NUL, ESC, BEL, a tab...); a line break inside a quoted cell is fine.",
    ),
    ProblemType(
        "carriage-return",
        "hygiene",
        "A carriage return does not end a line",
        "Delete the stray carriage return (CR): lines end with LF (or CRLF); save the file with LF line endings.",
    ),
    ProblemType(
        "cr-line-endings",
        "hygiene",
        "Lines end with a carriage return alone",
        "Save the file with LF line endings (old Mac CR endings cannot be read).",
    ),
    ProblemType(
        "invisible-character",
        "hygiene",
        "A cell holds an invisible or bidi control character",
        "Delete the character the message names (zero-width spaces and marks, bidi controls); quotes are exempt.",
    ),
    ProblemType(
        "tatweel",
        "hygiene",
        "An identifier or code holds a tatweel",
        "Delete the tatweel (U+0640): ids and codes are written without elongation.",
    ),
    ProblemType(
        "not-nfc",
        "hygiene",
        "A text is not in Unicode NFC form",
        "Normalise the cell to NFC (quotes are exempt: they keep the source's own characters).",
    ),
    ProblemType(
        "bytes-mismatch",
        "hygiene",
        "The descriptor's bytes differ from the file's size",
        "Run `python -m iraq_war_facts rehash` after editing the file; never type sizes by hand.",
    ),
    ProblemType(
        "hash-mismatch",
        "hygiene",
        "The descriptor's hash differs from the file's",
        "Run `python -m iraq_war_facts rehash` after editing the file; never type hashes by hand.",
    ),
    ProblemType(
        "unsupported-hash",
        "hygiene",
        "The descriptor names a hash algorithm the validator does not know",
        "Use `sha256:` (or md5, sha1, sha512); `rehash` writes sha256.",
    ),
    # -- rules ----------------------------------------------------------------------------------------------------
    ProblemType(
        "fact-table-core",
        "rules",
        "A fact table lacks a core field",
        "Every fact table keeps the fields the others share (value, time, citation): copy them from another topic's "
        "schema.",
    ),
    ProblemType(
        "bounds-order",
        "rules",
        "value_low, value and value_high are out of order",
        "Read the quote again: value_low ≤ value ≤ value_high; swap or correct the figures.",
    ),
    ProblemType(
        "range-bounds-equal",
        "rules",
        "A range has equal bounds",
        "A range with one figure is not a range: use the qualifier the words put on it, with value.",
    ),
    ProblemType(
        "qualifier-fields",
        "rules",
        "The value fields do not fit the qualifier",
        "A point qualifier takes value only; range takes value_low and value_high; indefinite takes value_low only.",
    ),
    ProblemType(
        "percent-out-of-range",
        "rules",
        "A percentage is outside 0–100",
        "Check the figure and its unit: a percent lies between 0 and 100.",
    ),
    ProblemType(
        "currency-mismatch",
        "rules",
        "currency differs from a currency unit",
        "Make currency the same ISO code as unit, or correct the unit.",
    ),
    ProblemType(
        "literal-without-note",
        "rules",
        "literal_value is set but note is empty",
        "Say in note why the words state a figure other than the value meant.",
    ),
    ProblemType(
        "literal-equals-value",
        "rules",
        "literal_value equals value",
        "Leave literal_value empty: it is set only where the words state something other than the value meant.",
    ),
    ProblemType(
        "time-type-fields",
        "rules",
        "The date fields do not fit time_type",
        "time_type as_of takes the as_of fields only; period takes period_start and/or period_end only.",
    ),
    ProblemType(
        "date-out-of-frame",
        "rules",
        "A date lies outside the frame of the war",
        "Check the date against the quote; a year written in another calendar must be converted.",
    ),
    ProblemType(
        "date-precision-basis",
        "rules",
        "A date lacks its precision or basis, or they are set without it",
        "Set the date's `_precision` and `_basis` with the date, or empty them with it (the basis may be unknown).",
    ),
    ProblemType(
        "date-not-first-day",
        "rules",
        "A coarse date is not written as the first day of its unit",
        "Write a month as its first day (2003-04-01) and a year as 1 January (2003-01-01).",
    ),
    ProblemType(
        "period-order",
        "rules",
        "A period starts after it ends",
        "Swap or correct period_start and period_end (period_end stands for its whole month or year).",
    ),
    ProblemType(
        "after-publication",
        "rules",
        "A reported claim is dated after its source was published",
        "Correct the date, or the source's published date, or set claim_type planned if the article forecasts it.",
    ),
    ProblemType(
        "unknown-code",
        "rules",
        "A coded field holds no code of the codebook",
        "Use a code of `data/codebook.csv`, or add the code there with its list, labels and definition.",
    ),
    ProblemType(
        "wrong-code-list",
        "rules",
        "A code belongs to another list",
        "Use a code of the list the field names in its schema.",
    ),
    ProblemType(
        "metric-wrong-topic",
        "rules",
        "A metric belongs to the table of another topic",
        "Move the row to the fact table of the metric's codebook parent, or choose the right metric.",
    ),
    ProblemType(
        "unit-not-for-metric",
        "rules",
        "The unit is not one the metric declares",
        "Choose one of the metric's units (its codebook row's units), or the metric that counts what the quote counts.",
    ),
    ProblemType(
        "unknown-unit-of-metric",
        "rules",
        "A metric's units name a code that is not a unit",
        "List only codes of the unit list in the codebook's units column, separated by spaces.",
    ),
    ProblemType(
        "uncited-source",
        "rules",
        "No fact cites a source",
        "Curate the source's facts, or remove the source if it is not used.",
    ),
    ProblemType(
        "unknown-source",
        "rules",
        "A source_id names no source",
        "Use a source_id of `data/sources.csv`, or register the source first.",
    ),
    ProblemType(
        "duplicate-id",
        "rules",
        "An id is used in two tables",
        "Give the row the next free id of its own prefix: ids are unique package-wide.",
    ),
    ProblemType(
        "correction-unknown-row",
        "rules",
        "A correction names no row of the package",
        "Write in fact_id the id of the corrected row (a fact, event, mention or relation id).",
    ),
    # -- relations --------------------------------------------------------------------------------------------------
    ProblemType(
        "relation-unknown-fact",
        "relations",
        "A relation names a fact the package does not have",
        "Correct the fact id in `data/relations.csv`, or the fact's own id if it was renamed in one file only.",
    ),
    ProblemType(
        "relation-self",
        "relations",
        "A relation relates a fact to itself",
        "Remove the fact's own id from other_fact_ids.",
    ),
    ProblemType(
        "relation-no-value",
        "relations",
        "A relation names a fact without a value",
        "Relate facts that have a value (not a range or indefinite plural), or remove the relation.",
    ),
    ProblemType(
        "relation-units",
        "relations",
        "A relation compares facts in different units",
        "Relate facts of one unit only; check each fact's unit against its quote.",
    ),
    ProblemType(
        "relation-does-not-hold",
        "relations",
        "A relation does not hold",
        "Check both quotes: correct a misread value, or the relation if the facts do not cover the same thing.",
    ),
    ProblemType(
        "relation-share-parts",
        "relations",
        "share_of does not name exactly one other fact",
        "Name exactly one count in other_fact_ids of a share_of relation.",
    ),
    ProblemType(
        "relation-share-percentage",
        "relations",
        "share_of names a fact that is not a percentage",
        "fact_id of a share_of relation is the percentage; swap the facts or correct the unit.",
    ),
    ProblemType(
        "relation-share-count",
        "relations",
        "share_of relates a percentage to a percentage",
        "other_fact_ids of a share_of relation is the count the percentage describes, not another percentage.",
    ),
    ProblemType(
        "relation-share-bounds",
        "relations",
        "share_of lacks its expected bounds",
        "Set expected_low and expected_high: the range the implied whole must lie in.",
    ),
    ProblemType(
        "relation-share-zero",
        "relations",
        "share_of names a share of 0 percent",
        "A zero share implies no whole: remove the relation, or correct the value.",
    ),
    ProblemType(
        "derived-unknown-fact",
        "relations",
        "A derived figure names a fact the package does not have",
        "Correct the fact id in the derived figure's formula, or the fact's own id if it was renamed in one file only.",
    ),
    ProblemType(
        "derived-formula-syntax",
        "relations",
        "A derived figure's formula cannot be read",
        "Write the formula as fact ids and numbers joined by + - * / and parentheses.",
    ),
    ProblemType(
        "derived-not-computable",
        "relations",
        "A derived figure cannot be computed",
        "Check the facts the formula names: each needs a value (not a range or indefinite plural); no divisor is 0.",
    ),
    ProblemType(
        "chart-unknown-ref",
        "relations",
        "A chart item names nothing the package has",
        "Write in ref a fact id or derived_id (bars and parts), or an event code that events holds (events).",
    ),
    # -- citations ------------------------------------------------------------------------------------------------
    ProblemType(
        "source-file-name",
        "citations",
        "A source's file is not a plain file name",
        "Write in file the bare name of the text in the sources folder, without any folder.",
    ),
    ProblemType(
        "source-file-missing",
        "citations",
        "A source's text is not in the sources folder",
        "Put the text in the folder passed with --sources, under the name file gives.",
    ),
    ProblemType(
        "source-file-too-large",
        "citations",
        "A source's text is over the size limit",
        "Check that file names the article's text, not another file.",
    ),
    ProblemType(
        "source-text-mismatch",
        "citations",
        "A source's text differs from its registered sha256 or size",
        "Restore the original text; register a new text only as a new source.",
    ),
    ProblemType(
        "source-not-utf8",
        "citations",
        "A source's text is not valid UTF-8",
        "Restore the original text (source texts are UTF-8, never re-encoded).",
    ),
    ProblemType(
        "headline-not-in-source",
        "citations",
        "A source's headline is not verbatim in its text",
        "Copy the headline again from the text, character for character.",
    ),
    ProblemType(
        "paragraph-out-of-range",
        "citations",
        "The cited paragraph does not exist",
        "Set paragraph to the one the message names (the non-empty lines of the text, counted from 1).",
    ),
    ProblemType(
        "quote-wrong-paragraph",
        "citations",
        "The quote is in another paragraph",
        "Set paragraph to the one the message names.",
    ),
    ProblemType(
        "quote-spans-paragraphs",
        "citations",
        "The quote runs over several lines of the text",
        "Quote the shortest part of one paragraph that states the figure.",
    ),
    ProblemType(
        "quote-not-in-source",
        "citations",
        "The quote is nowhere in the text",
        "Copy the quote again from the text, character for character; never retype Arabic text.",
    ),
    ProblemType(
        "value-not-in-quote",
        "citations",
        "The quote does not state the row's figure",
        "Correct the figure to the one the quote states (the message lists them), or quote the words that state it.",
    ),
    ProblemType(
        "mention-not-in-quote",
        "citations",
        "A not_tabulated mention is not in its quote",
        "Copy mention from the quote, character for character.",
    ),
    # -- claims -----------------------------------------------------------------------------------------------------
    ProblemType(
        "hedge-disagrees",
        "claims",
        "The qualifier differs from the hedge beside the figure",
        "Set qualifier to the hedge's (the message names it): an exact figure has no hedge, «حوالي» is approximately.",
    ),
    ProblemType(
        "hedge-missing",
        "claims",
        "The qualifier says the figure is hedged, but no hedge stands beside it",
        "Set qualifier to exact; or, if the text's word is a hedge, add it to data/cues.csv under the qualifier.",
    ),
    ProblemType(
        "future-claim-reported",
        "claims",
        "A claim about the future is recorded as reported",
        "Set claim_type to planned: the source says what will happen (سيبقى, من المقرر), not what has.",
    ),
    # -- completeness -----------------------------------------------------------------------------------------------
    ProblemType(
        "uncovered-mention",
        "completeness",
        "A numeric mention of a source is covered by no row",
        "Curate the mention into a fact table, events or not_tabulated (step 3 of adding a source).",
    ),
    # -- descriptor -------------------------------------------------------------------------------------------------
    ProblemType(
        "invalid-name",
        "descriptor",
        "A package or resource name breaks the naming rule",
        "Use at most 100 lower-case letters, digits, '.', '_' or '-', from a letter or digit: names become file names.",
    ),
    ProblemType(
        "duplicate-name",
        "descriptor",
        "Two resources have the same name, ignoring case",
        "Rename one: resource names become file and table names, which must differ in more than case.",
    ),
    ProblemType(
        "invalid-version",
        "descriptor",
        "The version cannot be part of a file name",
        "Write the version as a string such as 1.0.0 or 1.0.0-beta: letters, digits, '.', '_', '+' and '-'.",
    ),
    ProblemType(
        "invalid-created",
        "descriptor",
        "created is not an RFC 3339 date-time",
        "Write the date and time with its offset, e.g. 2026-11-21T00:00:00Z.",
    ),
    ProblemType(
        "invalid-hash",
        "descriptor",
        "A resource's hash is not an algorithm and hex digits",
        "Run `rehash`: it writes sha256: and the file's digest for every resource.",
    ),
    ProblemType(
        "invalid-bytes",
        "descriptor",
        "A resource's bytes is not a non-negative integer",
        "Run `rehash`: it writes the size of every resource's file.",
    ),
    ProblemType(
        "invalid-property",
        "descriptor",
        "A property of the descriptor has the wrong type or shape",
        "Give the property the shape the message names (Data Package v2), e.g. keywords a list of strings.",
    ),
    # -- any family -------------------------------------------------------------------------------------------------
    ProblemType(
        "check-not-run",
        "any",
        "A check family could not run",
        "A bug of the validator, or a schema the family cannot work with (a field of an unexpected type): report it.",
    ),
)

_BY_CODE = {t.code: t for t in CATALOGUE}


def problem_type(code: str) -> ProblemType:
    """The catalogue entry of ``code``; KeyError naming the code when the catalogue has none."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no problem type {code!r} in the catalogue") from None


def codes() -> frozenset[str]:
    """Every code of the catalogue."""
    return frozenset(_BY_CODE)


def by_family() -> dict[str, list[ProblemType]]:
    """The problem types of each family, families in :data:`FAMILIES` order, types in catalogue order."""
    out: dict[str, list[ProblemType]] = {f.name: [] for f in FAMILIES}
    for t in CATALOGUE:
        out[t.family].append(t)
    return out
