"""The one base of everything the server refuses a person: `PortalError`.

A refusal has a stable machine `code` (clients decide by it, and never change one), an
HTTP `status_code`, and a message for people: an English template marked with `N_` and
its values kept apart, so it is worded in the reader's language where it is shown:

- on HTTP, `api_errors.install` answers every PortalError a route lets through as an
  `isp_common.premium_wire.ApiErrorBody`, worded in the request's language
  (`reader_language`);
- on a socket, `realtime.dispatch` turns every PortalError a handler raises into one
  error frame (`isp_common.live_wire.ErrorMessage`), worded in the socket's language (a
  staff tab's language when it connected, a device's customer's language);
- a page that catches one shows `error.translated(_)`.

    PortalError
    ├── api_errors.ApiError        the JSON API's refusals, with more fields in the body
    │                              (devices, unlock_codes, customers, auth's API keys)
    ├── realtime.errors.LiveError  the sockets' refusals, naming what they answer
    │                              (realtime, chat, consent, remote_diagnostics)
    ├── auth.errors.AuthError      sign-in, access and the staff forms
    └── knowledge.errors.KnowledgeError

Errors that never reach a person stay plain exceptions: the installation's coordination
(`jobs.errors`), a customer import file the command reports itself
(`customers.importer.ImportFileError`), mail delivery (`mail.sender.MailError`), and the
mail relay's refusals, which are SMTP answers to the sending mail server
(`mail_relay.errors`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from agent_portal.i18n import translator

# Importers take N_ from here, beside their texts.
from isp_common.i18n import N_ as N_


class PortalError(Exception):
    status_code: ClassVar[int] = 400
    code: str = "bad_request"
    # The message when the raiser gives none; each subclass with one fixed message says it
    # here, so the texts test finds it (`tests/agent_portal/test_errors.py`).
    template: str = N_("The request could not be carried out.")

    def __init__(self, template: str | None = None, /, *, code: str | None = None, **values):
        if template is not None:
            self.template = template
        if code is not None:
            self.code = code
        self.values = values
        super().__init__(self.message)

    def words(self, gettext: Callable[[str], str], language: str) -> dict[str, Any]:
        """The values as the message shows them (a refusal given as the reason of another
        in the same language); a subclass words numbers, sizes or statuses in the reader's
        language here."""
        return {
            name: value.translated(gettext) if isinstance(value, PortalError) else value
            for name, value in self.values.items()
        }

    def translated(self, gettext: Callable[[str], str] | None = None) -> str:
        """The message in the current language (`translator.language`), or by `gettext`."""
        gettext = gettext or translator.gettext
        text = gettext(self.template)
        values = self.words(gettext, translator.language.get())
        return text % values if values else text

    def in_language(self, language: str) -> str:
        token = translator.language.set(language)
        try:
            return self.translated(translator.gettext)
        finally:
            translator.language.reset(token)

    @property
    def message(self) -> str:
        """In English: for logs, and what clients read when they ask for no language."""
        return self.in_language("en")
