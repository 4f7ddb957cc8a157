"""The assistant's texts in German and English; `_()` translates into the current language.

Source texts are English; the German catalogue is `locale/de/LC_MESSAGES/assistant.po`.
"""

from pathlib import Path

from isp_common.i18n import Translator

LOCALE_DIR = Path(__file__).parent / "locale"
translator = Translator(LOCALE_DIR, "assistant")
_ = translator.gettext
