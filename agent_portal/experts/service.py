"""The experts' service functions, in one place for the other domains (search, ranking,
escalation, presence, mail relay, appointments). Keyword-only arguments, a `db_session`
first; they flush and never commit (the route, handler or job that calls them does).
Lookups return None when nothing is found.

An expert is named towards customers by `expert_id`, the id of their `ExpertProfile`
(`/api/v1/experts/{expert_id}`); `ExpertProfile.staff_id` is their staff member.

What customers may see (only ever the approved version, only while not suspended):

- `visible_condition()`: the SQL condition, to add to your own query or join.
- `visible_profiles_query()`: `select(ExpertProfile)` of the visible ones, to narrow,
  join and order further.
- `visible_profiles(db_session=, category_id=None)`: the visible profiles, by name.
- `public_profile(db_session=, expert_id=)`: one visible profile, or None.
- `public_photo(db_session=, expert_id=)`: its approved `ExpertPhoto`, or None.

Texts and keywords are plain columns of `expert_profiles` (`display_name`, `keywords`
joined by ", ", `slogan`, `qualifications`, `experience`, `text_language`), holding only
approved text, for a full-text index to be laid over. `ExpertProfileCategory` links a
profile to its (at most three) categories.

The category tree:

- `category_tree(db_session=)`: `CategoryNode`s (id, name_de, name_en, position,
  parent_id, children; `.name(language)`), top categories in their order.
- `get_category`, `categories_by_id`, `category_usage`.
- Admins: `add_category`, `rename_category`, `move_category`, `shift_category`,
  `remove_category` (CategoryInUse while a profile or a sub-category uses it). The
  starter tree (`starter_categories.py`) is written once by migration e001.

The expert's own profile:

- `profile_of_staff(db_session=, staff_id=)`: the profile in whatever state, or None.
- `validate(db_session=, limits=PriceLimits..., **fields)` -> `ProfileIn`, or
  InvalidProfile naming each bad field; `submit_profile(...)` stores it as the change
  waiting for approval (InvalidPhoto for a bad upload, then nothing is stored).

The expert's time zone (`time_zones.py`): `time_zone_of(db_session=, staff_id=,
default=)`, the profile's zone or the portal's; `set_time_zone(...)` keeps a new one
(UnknownTimeZone for a name zoneinfo does not know; nothing stored then); `zone_names()`.

Admins' decisions (each audited): `pending_profiles`, `all_profiles`, `changes(profile)`,
`approve_change`, `reject_change` (with a reason), `suspend_expert`, `reinstate_expert`.
"""

from __future__ import annotations

from agent_portal.experts.approval import (
    Change,
    all_profiles,
    approve_change,
    changes,
    pending_profiles,
    reinstate_expert,
    reject_change,
    suspend_expert,
)
from agent_portal.experts.categories import (
    CategoryNode,
    add_category,
    categories_by_id,
    category_tree,
    category_usage,
    get_category,
    move_category,
    remove_category,
    rename_category,
    shift_category,
)
from agent_portal.experts.profile_input import (
    CATEGORIES_MAX,
    SPOKEN_LANGUAGES,
    PriceLimits,
    ProfileIn,
)
from agent_portal.experts.profiles import (
    get_profile,
    photo_by_id,
    profile_of_staff,
    public_photo,
    public_profile,
    submit_profile,
    validate,
    visible_condition,
    visible_profiles,
    visible_profiles_query,
)
from agent_portal.experts.time_zones import set_time_zone, time_zone_of, zone_names

__all__ = [
    "CATEGORIES_MAX",
    "SPOKEN_LANGUAGES",
    "CategoryNode",
    "Change",
    "PriceLimits",
    "ProfileIn",
    "add_category",
    "all_profiles",
    "approve_change",
    "categories_by_id",
    "category_tree",
    "category_usage",
    "changes",
    "get_category",
    "get_profile",
    "move_category",
    "pending_profiles",
    "photo_by_id",
    "profile_of_staff",
    "public_photo",
    "public_profile",
    "reinstate_expert",
    "set_time_zone",
    "reject_change",
    "remove_category",
    "rename_category",
    "shift_category",
    "submit_profile",
    "suspend_expert",
    "time_zone_of",
    "validate",
    "visible_condition",
    "visible_profiles",
    "visible_profiles_query",
    "zone_names",
]
