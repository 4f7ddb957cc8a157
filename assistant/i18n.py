"""The assistant's texts in German and English; `_()` translates into the current language.

Source texts are English; the German catalogue is `locale/de/LC_MESSAGES/assistant.po`. It
holds the texts of `assistant.diagnostics` too, which is given this translator, so its
findings follow the language set here.
"""

from pathlib import Path

from assistant.diagnostics.i18n import use_translator
from isp_common.i18n import Translator

LOCALE_DIR = Path(__file__).parent / "locale"
translator = Translator(LOCALE_DIR, "assistant")
_ = translator.gettext
use_translator(translator)
