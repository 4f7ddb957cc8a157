"""What can go wrong with experts, their profiles and the category tree.

ExpertsError
├── InvalidProfile      the profile an expert typed is not acceptable (ValueError too):
│                       one problem per form field, each translatable; nothing stored
├── InvalidPhoto        the upload is not an image, too large, or cannot be decoded
│                       (ValueError too); nothing stored
├── InvalidCategory     a category's names or place are not acceptable (ValueError too)
├── CategoryInUse       a category that a profile (approved or waiting) or a
│                       sub-category uses is not removed
├── NoPendingChange     approve/reject: the profile has no change waiting
└── ExpertNotFound      the JSON API's 404 for an expert customers cannot see (ApiError)

Every refusal carries a `Problem`: an English template and its values, kept apart so a
page shows it in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from agent_portal.api_errors import ApiError
from isp_common.formatting import file_size, money
from isp_common.i18n import N_

__all__ = [
    "N_",
    "CategoryInUse",
    "ExpertNotFound",
    "ExpertsError",
    "InvalidCategory",
    "InvalidPhoto",
    "InvalidProfile",
    "Localized",
    "Money",
    "NoPendingChange",
    "Problem",
    "Size",
    "problem",
]


@dataclass(frozen=True)
class Money:
    """An amount in a problem's values: formatted in the reader's language when shown."""

    minor: int
    currency: str


@dataclass(frozen=True)
class Size:
    """A number of bytes in a problem's values: "5 MB" in the reader's language."""

    bytes: int


@dataclass(frozen=True)
class Localized:
    """A name with a German and an English spelling: the reader's is shown."""

    de: str
    en: str


@dataclass(frozen=True)
class Problem:
    template: str
    values: tuple[tuple[str, object], ...] = ()

    def translated(self, gettext, language: str = "en") -> str:
        text = gettext(self.template)
        if not self.values:
            return text
        shown = {name: _shown(value, language) for name, value in self.values}
        return text % shown

    def __str__(self) -> str:
        return self.translated(lambda text: text)


def _shown(value: object, language: str) -> object:
    if isinstance(value, Money):
        return money(value.minor, value.currency, locale=language)
    if isinstance(value, Size):
        return file_size(value.bytes, locale=language)
    if isinstance(value, Localized):
        return value.de if language == "de" else value.en
    return value


def problem(template: str, **values: object) -> Problem:
    return Problem(template, tuple(values.items()))


class ExpertsError(Exception):
    """Base of this domain's errors (except the API's `ExpertNotFound`)."""


class _Problems(ExpertsError, ValueError):
    def __init__(self, problems: dict[str, Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{field}: {text}" for field, text in problems.items()))


class InvalidProfile(_Problems):
    """The profile was not stored: `problems` maps each field to what is wrong with it."""


class InvalidCategory(_Problems):
    """The category was not changed: `problems` maps each field to what is wrong."""


class InvalidPhoto(ExpertsError, ValueError):
    def __init__(self, reason: Problem) -> None:
        self.problem = reason
        super().__init__(str(reason))


class CategoryInUse(ExpertsError):
    def __init__(self, reason: Problem) -> None:
        self.problem = reason
        super().__init__(str(reason))


class NoPendingChange(ExpertsError):
    def __init__(self, profile_id: int) -> None:
        self.profile_id = profile_id
        self.problem = problem(N_("This profile has no change waiting for approval."))
        super().__init__(f"profile {profile_id}: {self.problem}")


class ExpertNotFound(ApiError):
    status_code = 404
    code = "expert_not_found"

    def __init__(self) -> None:
        super().__init__("No such expert, or the expert is not available.")
