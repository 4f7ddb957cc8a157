"""What can go wrong in the knowledge base.

KnowledgeError
├── InvalidArticle      values a person typed are not acceptable (ValueError too); one
│                       problem per form field, each translatable
└── ArticleIsPublished  only a draft may be deleted; the one problem is translatable
"""

from __future__ import annotations

from dataclasses import dataclass

from isp_common.i18n import N_


@dataclass(frozen=True)
class Problem:
    """A message for the person who typed the value: an English template and its values,
    kept apart so a page can show it in the reader's language."""

    template: str
    values: tuple[tuple[str, object], ...] = ()

    def translated(self, gettext) -> str:
        text = gettext(self.template)
        return text % dict(self.values) if self.values else text

    def __str__(self) -> str:
        return self.translated(lambda text: text)


def problem(template: str, **values: object) -> Problem:
    return Problem(template, tuple(values.items()))


class KnowledgeError(Exception):
    """Base of this domain's errors."""


class InvalidArticle(KnowledgeError, ValueError):
    """The article was not stored: `problems` maps each field to what is wrong with it."""

    def __init__(self, problems: dict[str, Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {text}" for field, text in problems.items()))


class ArticleIsPublished(KnowledgeError):
    """The article was not deleted: it is published. It is taken back to draft first, so
    nothing customers see vanishes by one click; `problem` says so to the reader."""

    def __init__(self, article_id: int) -> None:
        self.article_id = article_id
        self.problem = problem(
            N_("A published article cannot be deleted: take it back to draft first.")
        )
        super().__init__(f"article {article_id}: {self.problem}")
