"""What can go wrong in the knowledge base.

KnowledgeError (an `agent_portal.errors.PortalError`)
├── InvalidArticle      values a person typed are not acceptable (ValueError too); one
│                       problem per form field, each translatable
└── ArticleIsPublished  only a draft may be deleted; the one problem is translatable
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_portal.errors import PortalError

# Importers take N_ from here, beside the texts of this domain.
from isp_common.i18n import N_ as N_


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


class KnowledgeError(PortalError):
    """Base of this domain's errors."""

    code = "knowledge_error"


class InvalidArticle(KnowledgeError, ValueError):
    """The article was not stored: `problems` maps each field to what is wrong with it
    (the form shows each beside its field; the message names them all)."""

    status_code = 422
    code = "invalid_article"
    template = N_("The article was not stored: %(problems)s")

    def __init__(self, problems: dict[str, Problem]) -> None:
        self.problems = problems
        super().__init__(problems="")

    def words(self, gettext, language: str) -> dict[str, str]:
        texts = (f"{field}: {text.translated(gettext)}" for field, text in self.problems.items())
        return {"problems": "; ".join(texts)}


class ArticleIsPublished(KnowledgeError):
    """The article was not deleted: it is published. It is taken back to draft first, so
    nothing customers see vanishes by one click; `problem` says so to the reader."""

    status_code = 409
    code = "article_is_published"
    template = N_("A published article cannot be deleted: take it back to draft first.")

    def __init__(self, article_id: int) -> None:
        self.article_id = article_id
        self.problem = problem(self.template)
        super().__init__()
