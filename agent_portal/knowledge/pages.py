"""The knowledge base in the portal, under `/portal/knowledge`: list and search, an
article, the editor for new and existing articles, publish and unpublish, and delete a
draft (after a confirmation on the article page; a published article is taken back to
draft first).

Every staff member may read; hotline agents and admins write. Experts see published
articles only: drafts are the hotline's work in progress.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_portal.auth.deps import CurrentStaff, csrf_protected, require_staff
from agent_portal.auth.models import StaffMember
from agent_portal.deps import SessionDep, SettingsDep
from agent_portal.i18n import _, translator
from agent_portal.knowledge import service
from agent_portal.knowledge.errors import N_, ArticleIsPublished, InvalidArticle
from agent_portal.knowledge.findings import Choice, ChoiceGroup, diagnostics_catalogue
from agent_portal.knowledge.models import Article, ArticleStatus
from agent_portal.knowledge.schemas import PROBLEM_MAX, ArticleIn, split_tags
from agent_portal.web.templating import render
from isp_common import formatting

PREFIX = "/portal/knowledge"
WRITERS = ("agent", "admin")
EXCERPT_LENGTH = 180
_STEP = re.compile(r"^\s*(\d+[.)]|[-•*])\s")

router = APIRouter(prefix=PREFIX, tags=["portal"], include_in_schema=False)
readers = [require_staff()]
writers = [require_staff(*WRITERS)]
writers_form = [require_staff(*WRITERS), csrf_protected()]

STATUS_LABELS = {ArticleStatus.DRAFT: N_("Draft"), ArticleStatus.PUBLISHED: N_("Published")}
LANGUAGE_LABELS = {"de": N_("German"), "en": N_("English")}
DONE_MESSAGES = {
    "created": N_("The article has been saved as a draft."),
    "saved": N_("Your changes have been saved."),
    "published": N_("The article is published: customers' assistants show it now."),
    "unpublished": N_("The article is a draft again: customers no longer see it."),
    # On the list, after "Delete draft" on the article page.
    "deleted": N_("The draft has been deleted."),
    # After "Draft an article from this chat" on a conversation page.
    "from_chat": N_(
        "This draft was made from the conversation. Keep what helps other customers, "
        "remove names and greetings, then save it; publish it when it is ready."
    ),
}


class Formats:
    """Values as the page shows them, in its language and the portal's time zone."""

    def __init__(self, time_zone: str) -> None:
        self.zone = time_zone
        self.locale = translator.language.get()

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return formatting.moment(value, locale=self.locale, zone=self.zone)

    def status(self, status: str) -> str:
        return _(STATUS_LABELS[ArticleStatus(status)])

    def language(self, language: str) -> str:
        return _(LANGUAGE_LABELS.get(language, language))

    def written(self, article: Article) -> str:
        created = self.moment(article.created_at)
        if article.author is None:  # a starter article, or its author's account is gone
            return _("Written on %(created)s") % {"created": created}
        return _("Written by %(author)s on %(created)s") % {
            "author": article.author.name,
            "created": created,
        }

    @staticmethod
    def lines(text: str) -> list[tuple[str, str]]:
        """The lines of a text with their kind: "step" (numbered or bulleted, shown with a
        hanging indent), "gap" (an empty line) or "line"."""
        return [
            ("gap" if not line.strip() else "step" if _STEP.match(line) else "line", line)
            for line in text.split("\n")
        ]

    @staticmethod
    def excerpt(text: str) -> str:
        flat = " ".join(text.split())
        if len(flat) <= EXCERPT_LENGTH:
            return flat
        return flat[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + " …"


def _can_write(staff: StaffMember) -> bool:
    return staff.role in WRITERS


def _article_id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


def _visible_article(db_session, staff: StaffMember, article_id: str) -> Article | None:
    number = _article_id(article_id)
    if number is None:
        return None
    return service.get(
        db_session=db_session, article_id=number, published_only=not _can_write(staff)
    )


def _not_found(request: Request) -> HTMLResponse:
    return render(request, "knowledge/not_found.html", status_code=404)


@router.get("", response_class=HTMLResponse, dependencies=readers)
def list_page(
    request: Request,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    q: str = "",
    status: str = "",
    done: str = "",
) -> HTMLResponse:
    query = " ".join(q.split())
    can_write = _can_write(staff)
    wanted = ArticleStatus(status) if can_write and status in set(ArticleStatus) else None
    if not can_write:
        wanted = ArticleStatus.PUBLISHED
    if query:
        # Ranked by match alone: agents answer customers in either language.
        articles = service.search(db_session=db_session, query=query, status=wanted)
    else:
        articles = service.list_articles(db_session=db_session, status=wanted)
    return render(
        request,
        "knowledge/list.html",
        query=query,
        status=wanted.value if wanted and can_write else "",
        articles=articles,
        can_write=can_write,
        fmt=Formats(settings.time_zone),
        message=_(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None,
    )


def _editor(
    request: Request,
    *,
    article: Article | None,
    values: dict,
    problems: dict | None = None,
    status_code: int = 200,
    message: str | None = None,
) -> HTMLResponse:
    language = translator.language.get()
    problems = problems or {}
    return render(
        request,
        "knowledge/edit.html",
        status_code=status_code,
        page_url=f"{PREFIX}/{article.id}/edit" if article else f"{PREFIX}/new",
        article=article,
        values=values,
        problems={field: found.translated(_) for field, found in problems.items()},
        error=_("The article was not saved. Please correct the marked fields.")
        if problems
        else None,
        message=message,
        finding_groups=_finding_groups(language, values["finding_ids"]),
        problem_max=PROBLEM_MAX,
    )


def _finding_groups(language: str, chosen: list[str]) -> list[ChoiceGroup]:
    """The findings to choose from; chosen ones the list does not offer (ids the rules
    build at run time, or ones a newer assistant no longer makes) stay, under "Other"."""
    catalogue = diagnostics_catalogue()
    groups = catalogue.choices(language, keep=chosen)
    offered = {choice.id for group in groups for choice in group.choices}
    others = [
        Choice(item, catalogue.title(item, language)) for item in chosen if item not in offered
    ]
    return groups + ([ChoiceGroup(_("Other findings"), others)] if others else [])


def _values_of(article: Article) -> dict:
    return {
        "problem": article.problem,
        "symptoms": article.symptoms,
        "solution": article.solution,
        "tags": ", ".join(article.tag_list),
        "language": article.language,
        "finding_ids": article.finding_ids,
    }


@router.get("/new", response_class=HTMLResponse, dependencies=writers)
def new_page(request: Request) -> HTMLResponse:
    values = {"problem": "", "symptoms": "", "solution": "", "tags": ""}
    values.update(language=translator.language.get(), finding_ids=[])
    return _editor(request, article=None, values=values)


class ArticleForm:
    """The editor's fields as posted; missing fields count as empty."""

    def __init__(
        self,
        problem: str = Form(""),
        symptoms: str = Form(""),
        solution: str = Form(""),
        tags: str = Form(""),
        language: str = Form(""),
        finding_ids: list[str] = Form([]),
    ) -> None:
        self.values = {
            "problem": problem,
            "symptoms": symptoms,
            "solution": solution,
            "tags": tags,
            "language": language,
            "finding_ids": finding_ids,
        }

    def validated(self) -> ArticleIn:
        """The article to store; InvalidArticle names each field that is not acceptable."""
        values = self.values
        return service.validate(
            problem_text=values["problem"],
            symptoms=values["symptoms"],
            solution=values["solution"],
            tags=split_tags(values["tags"]),
            language=values["language"],
            finding_ids=values["finding_ids"],
        )


ArticleFormDep = Annotated[ArticleForm, Depends()]


@router.post("", dependencies=writers_form)
def create_article(
    request: Request, db_session: SessionDep, staff: CurrentStaff, form: ArticleFormDep
) -> Response:
    try:
        article_in = form.validated()
    except InvalidArticle as invalid:
        return _editor(
            request, article=None, values=form.values, problems=invalid.problems, status_code=400
        )
    article = service.create(db_session=db_session, author=staff, article_in=article_in)
    db_session.commit()
    return RedirectResponse(f"{PREFIX}/{article.id}?done=created", status_code=303)


@router.get("/{article_id}", response_class=HTMLResponse, dependencies=readers)
def article_page(
    request: Request,
    article_id: str,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    done: str = "",
) -> HTMLResponse:
    article = _visible_article(db_session, staff, article_id)
    if article is None:
        return _not_found(request)
    message = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None
    return _article_view(request, article, staff, time_zone=settings.time_zone, message=message)


def _article_view(
    request: Request,
    article: Article,
    staff: StaffMember,
    *,
    time_zone: str,
    status_code: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    language = translator.language.get()
    catalogue = diagnostics_catalogue()
    return render(
        request,
        "knowledge/article.html",
        status_code=status_code,
        page_url=f"{PREFIX}/{article.id}",
        article=article,
        can_write=_can_write(staff),
        findings=[(item, catalogue.title(item, language)) for item in article.finding_ids],
        message=message,
        error=error,
        fmt=Formats(time_zone),
    )


@router.get("/{article_id}/edit", response_class=HTMLResponse, dependencies=writers)
def edit_page(
    request: Request, article_id: str, db_session: SessionDep, staff: CurrentStaff, done: str = ""
) -> HTMLResponse:
    article = _visible_article(db_session, staff, article_id)
    if article is None:
        return _not_found(request)
    message = _(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None
    return _editor(request, article=article, values=_values_of(article), message=message)


@router.post("/{article_id}", dependencies=writers_form)
def update_article(
    request: Request,
    article_id: str,
    db_session: SessionDep,
    staff: CurrentStaff,
    form: ArticleFormDep,
) -> Response:
    article = _visible_article(db_session, staff, article_id)
    if article is None:
        return _not_found(request)
    try:
        service.update(db_session=db_session, article_id=article.id, article_in=form.validated())
    except InvalidArticle as invalid:
        return _editor(
            request, article=article, values=form.values, problems=invalid.problems, status_code=400
        )
    db_session.commit()
    return RedirectResponse(f"{PREFIX}/{article.id}?done=saved", status_code=303)


def _change_status(
    request: Request,
    db_session,
    staff: StaffMember,
    article_id: str,
    status: ArticleStatus,
    time_zone: str,
) -> Response:
    article = _visible_article(db_session, staff, article_id)
    if article is None:
        return _not_found(request)
    try:
        service.set_status(db_session=db_session, article_id=article.id, status=status)
    except InvalidArticle as invalid:
        return _article_view(
            request,
            article,
            staff,
            time_zone=time_zone,
            status_code=400,
            error=invalid.problems["solution"].translated(_),
        )
    db_session.commit()
    done = "published" if status is ArticleStatus.PUBLISHED else "unpublished"
    return RedirectResponse(f"{PREFIX}/{article.id}?done={done}", status_code=303)


@router.post("/{article_id}/publish", dependencies=writers_form)
def publish(
    request: Request,
    article_id: str,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
) -> Response:
    return _change_status(
        request, db_session, staff, article_id, ArticleStatus.PUBLISHED, settings.time_zone
    )


@router.post("/{article_id}/unpublish", dependencies=writers_form)
def unpublish(
    request: Request,
    article_id: str,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
) -> Response:
    return _change_status(
        request, db_session, staff, article_id, ArticleStatus.DRAFT, settings.time_zone
    )


@router.post("/{article_id}/delete", dependencies=writers_form)
def delete_draft(
    request: Request,
    article_id: str,
    db_session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
) -> Response:
    """Deletes a draft (the article page asks first); a published article is refused and
    stays as it was."""
    article = _visible_article(db_session, staff, article_id)
    if article is None:
        return _not_found(request)
    try:
        deleted = service.delete_draft(db_session=db_session, article_id=article.id)
    except ArticleIsPublished as refused:
        return _article_view(
            request,
            article,
            staff,
            time_zone=settings.time_zone,
            status_code=409,
            error=refused.problem.translated(_),
        )
    if deleted is None:
        return _not_found(request)
    db_session.commit()
    return RedirectResponse(f"{PREFIX}?done=deleted", status_code=303)
