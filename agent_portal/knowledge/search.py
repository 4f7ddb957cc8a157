"""Full-text search of articles: one entry point, `search_articles`, and one implementation
per database, picked by the session's dialect (the way psutil picks its OS backend).

People type web-search syntax: words (all must match), "a phrase", -word (must not
match), `or` between alternatives. Both databases get that query rebuilt from its words
only, each one quoted, so no input can be a syntax error, and a single word matches as a
prefix: the search box finds "WLAN" while "WLA" is being typed.

SQLite's FTS5 has a query language of its own in which quotes, `*`, `AND`, `-` or a
parenthesis in the wrong place are errors; `fts5_query` trims common endings off a word
before its `*` (a stand-in for stemming: "Verbindungen" finds "Verbindung").

PostgreSQL's `to_tsquery` (an operator or a stray `:` in it is an error too) stems each
word by the article's language ("Zertifikate" finds "Zertifikat") and `:*` makes the stem
a prefix. The index holds stems, though, so a word typed past its stem finds nothing:
"Verbindu" is no prefix of "verbind", the stem of "Verbindung". When a search finds
nothing, it is run once more with the typed word's shorter forms as whole stems too (see
`shorter_forms`); only then, so that a finished "wireless" does not also find "wire".
Stop words are left out of the query: "ein" finds nothing on its way to "Einstellung".

Ranking: a match in the problem counts most, then the tags, the symptoms, the solution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, and_, case, cast, func, literal_column, or_, select, table
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.orm import Session

from agent_portal.knowledge.models import FTS_TABLE, Article, ArticleStatus

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
# bm25 weights of the FTS5 columns: problem, symptoms, solution, tags.
_FTS5_WEIGHTS = (10.0, 2.0, 1.0, 5.0)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase
    negated: bool = False


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
    nothing. With `past_stem`, a wanted word may also be one of its `shorter_forms`."""
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


def _filtered(
    statement: Select, status: ArticleStatus | None, language_first: str | None
) -> Select:
    if status is not None:
        statement = statement.where(Article.status == status.value)
    if language_first:
        statement = statement.order_by(Article.language != language_first)
    return statement


def _search_sqlite(
    db_session: Session,
    text: str,
    status: ArticleStatus | None,
    language_first: str | None,
    limit: int,
) -> list[Article]:
    match = fts5_query(text)
    if match is None:
        return []
    fts = table(FTS_TABLE)
    rowid = literal_column(f"{FTS_TABLE}.rowid")
    statement = select(Article).join(fts, rowid == Article.id)
    statement = statement.where(literal_column(FTS_TABLE).op("MATCH")(match))
    statement = _filtered(statement, status, language_first)
    rank = func.bm25(literal_column(FTS_TABLE), *_FTS5_WEIGHTS)  # lower is better
    statement = statement.order_by(rank, Article.updated_at.desc()).limit(limit)
    return list(db_session.scalars(statement))


def _search_postgresql(
    db_session: Session,
    text: str,
    status: ArticleStatus | None,
    language_first: str | None,
    limit: int,
) -> list[Article]:
    # Lower-cased by `parse_query` already: see migration k001 on C-locale servers.
    expression = tsquery(text)
    if expression is None:
        return []
    found = _match_postgresql(db_session, expression, status, language_first, limit)
    stretched = tsquery(text, past_stem=True)
    if found or stretched == expression:
        return found
    return _match_postgresql(db_session, stretched, status, language_first, limit)


def _match_postgresql(
    db_session: Session,
    expression: str,
    status: ArticleStatus | None,
    language_first: str | None,
    limit: int,
) -> list[Article]:
    german = func.to_tsquery(cast("german", REGCONFIG), expression)
    english = func.to_tsquery(cast("english", REGCONFIG), expression)
    vector = literal_column(f"{Article.__tablename__}.search_vector", TSVECTOR)
    statement = select(Article).where(
        or_(
            and_(Article.language == "de", vector.op("@@")(german)),
            and_(Article.language == "en", vector.op("@@")(english)),
        )
    )
    statement = _filtered(statement, status, language_first)
    rank = func.ts_rank(vector, case((Article.language == "de", german), else_=english))
    statement = statement.order_by(rank.desc(), Article.updated_at.desc()).limit(limit)
    return list(db_session.scalars(statement))


_BACKENDS = {"sqlite": _search_sqlite, "postgresql": _search_postgresql}


def search_articles(
    *,
    db_session: Session,
    query: str,
    status: ArticleStatus | None = ArticleStatus.PUBLISHED,
    language_first: str | None = None,
    limit: int = 50,
) -> list[Article]:
    """Articles matching `query` with that status (None: any), best match first (those in
    `language_first` before the others). Any text is a valid query; one that asks for
    nothing finds nothing."""
    backend = _BACKENDS[db_session.get_bind().dialect.name]
    return backend(db_session, query, status, language_first, limit)
