"""Full-text search on both databases, shared by every domain that searches text (the
knowledge base's articles, the experts' profiles): how a typed query becomes a query of
the database's own full-text engine. Each domain keeps its index (an FTS5 table on SQLite,
a tsvector column on PostgreSQL, written by hand in its migration) and its ranking.

People type web-search syntax: words (all must match), "a phrase", -word (must not
match), `or` between alternatives. Both databases get that query rebuilt from its words
only, each one quoted, so no input can be a syntax error, and a single word matches as a
prefix: the search box finds "WLAN" while "WLA" is being typed.

SQLite's FTS5 has a query language of its own in which quotes, `*`, `AND`, `-` or a
parenthesis in the wrong place are errors; `fts5_query` trims common endings off a word
before its `*` (a stand-in for stemming: "Verbindungen" finds "Verbindung").

PostgreSQL's `to_tsquery` (an operator or a stray `:` in it is an error too) stems each
word by the configuration ('german', 'english') and `:*` makes the stem a prefix. The
index holds stems, though, so a word typed past its stem finds nothing: "Verbindu" is no
prefix of "verbind", the stem of "Verbindung". When a search finds nothing, it is run once
more with the typed word's shorter forms as whole stems too (`with_shorter_forms`); only
then, so that a finished "wireless" does not also find "wire". Stop words are left out of
the query: "ein" finds nothing on its way to "Einstellung".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, literal_column
from sqlalchemy.orm import Session

Found = TypeVar("Found")

QUERY_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
# Common German and English word endings, longest first; trimmed off longer words only.
_ENDINGS = ("ern", "en", "er", "es", "em", "e", "s", "n")
_STEM_FROM = 6
_STEM_MIN = 4
# How far a word being typed may run past its stem ("configurati" of "configur"), and how
# much of it must be left.
_PAST_STEM = 4
_STEM_SHORTEST = 3


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    negated: bool = False


def dialect(db_session: Session) -> str:
    """ "sqlite" or "postgresql": which of a domain's two implementations to run."""
    return db_session.get_bind().dialect.name


def clean_query(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())[:QUERY_MAX].lower()


def parse_query(text: str) -> list[list[Term]]:
    """Web-search syntax as alternatives (`or`), each a list of terms that must all hold.
    Alternatives without a wanted term are dropped: "-wlan" alone finds nothing."""
    alternatives: list[list[Term]] = [[]]
    for match in _TOKEN.finditer(clean_query(text)):
        negated_phrase, phrase, bare = match.groups()
        if bare is not None and bare == "or":
            alternatives.append([])
            continue
        negated = bool(negated_phrase) if phrase is not None else bare.startswith("-")
        words = tuple(_WORD.findall(phrase if phrase is not None else bare))
        if words:
            alternatives[-1].append(Term(words, negated))
    return [terms for terms in alternatives if any(not term.negated for term in terms)]


def trim_ending(word: str) -> str:
    if len(word) < _STEM_FROM:
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _STEM_MIN:
            return word[: -len(ending)]
    return word


def fts5_query(text: str) -> str | None:
    """An FTS5 query with the meaning of `text`, or None when it asks for nothing. Only
    quoted words reach FTS5, so no input can be a syntax error."""
    alternatives = []
    for terms in parse_query(text):

        def quoted(term: Term) -> str:
            if len(term.words) == 1:
                return f'"{trim_ending(term.words[0])}"*'
            return '"' + " ".join(term.words) + '"'

        wanted = " AND ".join(quoted(term) for term in terms if not term.negated)
        expression = f"({wanted})"
        for term in terms:
            if term.negated:
                expression = f"({expression} NOT {quoted(term)})"
        alternatives.append(expression)
    return " OR ".join(alternatives) if alternatives else None


_PLAIN_WORD = re.compile(r"[a-z0-9]+")


def fts5_plain_prefixes(text: str, most: int = 4) -> list[str] | None:
    """The word beginnings `fts5_query(text)` asks for, when that is all it asks: every
    one wanted, no phrase, no `or`, at most `most` of them, each of ASCII letters and
    digits only, which FTS5's tokenizer leaves as they are (lower case already). A word's
    entries then are those with a word of FTS5's from that beginning up to the next
    (`prefix_range`). None for any other query."""
    alternatives = parse_query(text)
    if len(alternatives) != 1 or not 0 < len(alternatives[0]) <= most:
        return None
    prefixes = []
    for term in alternatives[0]:
        if term.negated or len(term.words) != 1:
            return None
        prefix = trim_ending(term.words[0])
        if not _PLAIN_WORD.fullmatch(prefix):
            return None
        prefixes.append(prefix)
    return prefixes


def prefix_range(prefix: str) -> tuple[str, str]:
    """[first, end) of the words that begin with `prefix`, in binary (code point) order."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def fts5_match(fts_table: str, text: str) -> tuple[ColumnElement, ColumnElement] | None:
    """The FTS5 table's rowid (to join the indexed table on) and the condition that its
    row matches `text`; None when `text` asks for nothing."""
    match = fts5_query(text)
    if match is None:
        return None
    rowid = literal_column(f"{fts_table}.rowid")
    return rowid, literal_column(fts_table).op("MATCH")(match)


def shorter_forms(word: str) -> list[str]:
    """The word without its last one to `_PAST_STEM` letters: one of them may be the whole
    stem of the word being typed ("verbind" of "Verbindu")."""
    return [word[:-cut] for cut in range(1, _PAST_STEM + 1) if len(word) - cut >= _STEM_SHORTEST]


def _quoted(word: str, prefix: bool = False) -> str:
    # Between quotes an operator or `:` is text, not syntax. A `_WORD` has no quote or
    # backslash to escape, but a later change of `_WORD` should not open a hole.
    literal = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return literal + ":*" if prefix else literal


def tsquery(text: str, past_stem: bool = False) -> str | None:
    """A `to_tsquery` expression with the meaning of `text`, or None when it asks for
    nothing. With `past_stem`, a wanted word may also be one of its `shorter_forms`.
    Lower-cased already (`clean_query`): see migration k001 on C-locale servers."""
    alternatives = []
    for terms in parse_query(text):
        wanted = [_operand(term, past_stem) for term in terms if not term.negated]
        unwanted = ["!" + _operand(term, past_stem) for term in terms if term.negated]
        alternatives.append("(" + " & ".join(wanted + unwanted) + ")")
    return " | ".join(alternatives) if alternatives else None


def _operand(term: Term, past_stem: bool) -> str:
    """A phrase as words in a row; a word as a prefix (and, `past_stem`, its shorter forms)."""
    if len(term.words) > 1:
        return "(" + " <-> ".join(_quoted(word) for word in term.words) + ")"
    word = term.words[0]
    forms = shorter_forms(word) if past_stem and not term.negated else []
    return "(" + " | ".join([_quoted(word, prefix=True), *map(_quoted, forms)]) + ")"


def with_shorter_forms(text: str, run: Callable[[str], list[Found]]) -> list[Found]:
    """PostgreSQL: what `run` finds for the `tsquery` of `text`; when that is nothing, what
    it finds with the typed words' shorter forms as whole stems too."""
    expression = tsquery(text)
    if expression is None:
        return []
    found = run(expression)
    stretched = tsquery(text, past_stem=True)
    if found or stretched is None or stretched == expression:
        return found
    return run(stretched)
