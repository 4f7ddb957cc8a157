"""Words the experts' pages share: the names of spoken languages (from Babel's locale
data, in the reader's language) and the labels of a profile's fields."""

from __future__ import annotations

from babel import Locale

from agent_portal.experts.profile_input import SPOKEN_LANGUAGES
from isp_common.i18n import N_

LANGUAGE_NAMES = SPOKEN_LANGUAGES

FIELD_LABELS = {
    "display_name": N_("Name"),
    "photo": N_("Photo"),
    "languages": N_("Languages spoken"),
    "categories": N_("Categories"),
    "keywords": N_("Keywords"),
    "slogan": N_("Slogan"),
    "qualifications": N_("Qualifications and certificates"),
    "experience": N_("Experience"),
    "text_language": N_("Language of the texts"),
    "price_per_minute": N_("Price per minute"),
    "price_per_session": N_("Price per session"),
}


def language_name(code: str, language: str) -> str:
    """ "Deutsch"/"German" for "de", in the reader's language; the code if Babel has none."""
    try:
        name = Locale(language).languages.get(code)
    except (ValueError, TypeError):
        name = None
    return (name[:1].upper() + name[1:]) if name else code
