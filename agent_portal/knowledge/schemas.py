"""Input rules for articles, and the wire format the assistant reads.

`clean_article(...)` turns what a person typed into an `ArticleIn`, or raises
`InvalidArticle` naming every field that is not acceptable, so a form can show all problems
at once. Texts are plain text: surrounding blanks go, line breaks stay (they separate
steps), control characters go (PostgreSQL refuses NUL in text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from agent_portal.knowledge.errors import N_, InvalidArticle, Problem, problem
from agent_portal.knowledge.findings import FINDING_ID_MAX, FindingCatalogue
from agent_portal.knowledge.models import Article, ArticleLanguage
from isp_common.knowledge_wire import KnowledgeArticle

PROBLEM_MAX = 200  # the column's size
SYMPTOMS_MAX = 5_000
SOLUTION_MAX = 10_000
TAG_MAX = 40
TAGS_MAX = 10  # 10 tags of 40 characters, joined by ", ", fit the 500 of the column
FINDINGS_MAX = 20

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class ArticleIn:
    problem: str
    symptoms: str
    solution: str
    tags: tuple[str, ...]
    language: str
    finding_ids: tuple[str, ...]


def one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text.replace("\t", " ")).split())


def paragraphs(text: str) -> str:
    """Plain text with its line breaks: Windows and old Mac line ends become one kind,
    trailing blanks and more than one empty line in a row go."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    return _MANY_BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def split_tags(tags: str | Iterable[str]) -> list[str]:
    """Tags from "wlan, Router; repeater" or a list; the first spelling of a tag wins."""
    parts = re.split(r"[,;\n]", tags if isinstance(tags, str) else "\n".join(tags))
    seen, result = set(), []
    for part in parts:
        tag = one_line(part)
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            result.append(tag)
    return result


def _too_long(label: str, text: str, maximum: int) -> Problem | None:
    if len(text) <= maximum:
        return None
    return problem(label, maximum=maximum, length=len(text))


def clean_article(
    *,
    problem_text: str,
    symptoms: str,
    solution: str,
    tags: str | Iterable[str],
    language: str,
    finding_ids: Iterable[str],
    findings: FindingCatalogue,
) -> ArticleIn:
    problems: dict[str, Problem] = {}
    headline = one_line(problem_text)
    if not headline:
        problems["problem"] = problem(N_("Describe the problem in one line."))
    elif found := _too_long(
        N_("The problem is too long: at most %(maximum)d characters, not %(length)d."),
        headline,
        PROBLEM_MAX,
    ):
        problems["problem"] = found
    symptoms = paragraphs(symptoms)
    if found := _too_long(
        N_("The symptoms are too long: at most %(maximum)d characters, not %(length)d."),
        symptoms,
        SYMPTOMS_MAX,
    ):
        problems["symptoms"] = found
    solution = paragraphs(solution)
    if found := _too_long(
        N_("The solution is too long: at most %(maximum)d characters, not %(length)d."),
        solution,
        SOLUTION_MAX,
    ):
        problems["solution"] = found
    tag_list = split_tags(tags)
    long_tags = [tag for tag in tag_list if len(tag) > TAG_MAX]
    if long_tags:
        problems["tags"] = problem(
            N_("The tag “%(tag)s” is too long: at most %(maximum)d characters."),
            tag=long_tags[0][:TAG_MAX] + "…",
            maximum=TAG_MAX,
        )
    elif len(tag_list) > TAGS_MAX:
        problems["tags"] = problem(
            N_("Too many tags: at most %(maximum)d, not %(count)d."),
            maximum=TAGS_MAX,
            count=len(tag_list),
        )
    language = language.strip().lower()
    if language not in {member.value for member in ArticleLanguage}:
        problems["language"] = problem(N_("Choose German or English as the article's language."))
    chosen = list(dict.fromkeys(one_line(item) for item in finding_ids if one_line(item)))
    unknown = [item for item in chosen if len(item) > FINDING_ID_MAX or not findings.is_known(item)]
    if unknown:
        problems["finding_ids"] = problem(
            N_("Unknown finding: %(ids)s. Choose findings from the list."),
            ids=", ".join(item[:FINDING_ID_MAX] for item in unknown),
        )
    elif len(chosen) > FINDINGS_MAX:
        problems["finding_ids"] = problem(
            N_("Too many findings: at most %(maximum)d, not %(count)d."),
            maximum=FINDINGS_MAX,
            count=len(chosen),
        )
    if problems:
        raise InvalidArticle(problems)
    return ArticleIn(
        problem=headline,
        symptoms=symptoms,
        solution=solution,
        tags=tuple(tag_list),
        language=language,
        finding_ids=tuple(chosen),
    )


def to_wire(article: Article) -> KnowledgeArticle:
    return KnowledgeArticle(
        id=article.id,
        problem=article.problem,
        symptoms=article.symptoms,
        solution=article.solution,
        tags=article.tag_list,
        language=article.language,
        finding_ids=article.finding_ids,
        updated_at=article.updated_at,
    )
