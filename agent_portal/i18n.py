"""The portal's texts in German and English, translated into the language of the request."""

from pathlib import Path

from isp_common.i18n import Translator

LOCALE_DIR = Path(__file__).parent / "locale"
translator = Translator(LOCALE_DIR, "portal")
_ = translator.gettext
