"""Mail to a customer whose domain has letters beyond ASCII reaches a mail server that
knows nothing of SMTPUTF8, under the domain's ASCII form; a sender address that is no
address stops the portal at start, naming the setting."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent_portal.config import PortalSettings
from agent_portal.mail.sender import SmtpSender
from tests.support.mailbox import smtp_server


def test_an_internationalised_domain_is_sent_to_in_its_ascii_form():
    with smtp_server(smtputf8=False) as (mailbox, port):
        sender = SmtpSender(host="127.0.0.1", port=port, from_address="support@example.net")
        sender.send(to_address="hans@straße.de", subject="Antwort", body="Hallo Hans")

    assert mailbox.recipients == [["hans@xn--strae-oqa.de"]]
    assert mailbox.messages[0]["To"] == "hans@xn--strae-oqa.de"


@pytest.mark.parametrize("sender", ["support", "support@", "support@exa mple.net"])
def test_a_sender_address_that_is_no_address_is_refused_at_start(sender):
    with pytest.raises(ValidationError) as refused:
        PortalSettings(_env_file=None, smtp_from=sender)
    assert "smtp_from" in str(refused.value)
    assert "not a valid e-mail address" in str(refused.value)
