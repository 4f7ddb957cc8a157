"""What can go wrong with experts, their profiles and the category tree.

ExpertsError
├── InvalidProfile      the profile an expert typed is not acceptable (ValueError too):
│                       one problem per form field, each translatable; nothing stored
├── InvalidPhoto        the upload is not an image, too large, or cannot be decoded
│                       (ValueError too); nothing stored
├── UnknownTimeZone     the expert's time zone is no IANA name zoneinfo knows
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
from agent_portal.errors import PortalError
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
    "UnknownTimeZone",
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


class ExpertsError(PortalError):
    """Base of this domain's refusals (except the API's `ExpertNotFound`): a `Problem`
    worded like every refusal, its amounts, sizes and names in the reader's language."""

    status_code = 422
    code = "expert_refused"

    def __init__(self, reason: Problem) -> None:
        self.problem = reason
        super().__init__(reason.template, **dict(reason.values))

    def words(self, gettext, language: str) -> dict[str, object]:
        return {name: _shown(value, language) for name, value in self.values.items()}


class _Problems(ExpertsError, ValueError):
    """Several fields' problems at once; the message is the first of them."""

    def __init__(self, problems: dict[str, Problem]) -> None:
        self.problems = problems
        super().__init__(next(iter(problems.values())))


class InvalidProfile(_Problems):
    """The profile was not stored: `problems` maps each field to what is wrong with it."""

    code = "invalid_profile"


class InvalidCategory(_Problems):
    """The category was not changed: `problems` maps each field to what is wrong."""

    code = "invalid_category"


class InvalidPhoto(ExpertsError, ValueError):
    code = "invalid_photo"


class UnknownTimeZone(ExpertsError, ValueError):
    code = "unknown_time_zone"
    template = N_(
        "The time zone “%(zone)s” is not known. Choose one from the list, "
        "e.g. Europe/Berlin or Europe/Zurich."
    )

    def __init__(self, zone: str) -> None:
        self.zone = zone
        super().__init__(problem(self.template, zone=zone))


class CategoryInUse(ExpertsError):
    status_code = 409
    code = "category_in_use"


class NoPendingChange(ExpertsError):
    status_code = 409
    code = "no_pending_change"
    template = N_("This profile has no change waiting for approval.")

    def __init__(self, profile_id: int) -> None:
        self.profile_id = profile_id
        super().__init__(problem(self.template))


class ExpertNotFound(ApiError):
    status_code = 404
    code = "expert_not_found"

    template = N_("No such expert, or the expert is not available.")
