"""The relay's settings: off unless a domain is set, the receiver only with an address to
listen on, and a setting that makes no sense stops the start with what is wrong."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent_portal.config import PortalSettings
from agent_portal.mail_relay.jobs import periodic
from agent_portal.mail_relay.receiver import parse_listen


def settings_with(**values) -> PortalSettings:
    return PortalSettings(_env_file=None, **values)


def test_the_relay_is_off_by_default_and_its_receiver_runs_only_when_it_has_an_address():
    assert periodic(settings_with()) == []
    copies_only = periodic(settings_with(mail_relay_domain="Reply.ISP.example.net."))
    assert [job.name for job in copies_only] == ["mail-relay-copies"]
    both = periodic(
        settings_with(mail_relay_domain="reply.isp.example.net", mail_relay_listen=":2525")
    )
    assert [job.name for job in both] == ["mail-relay-copies", "mail-relay-receiver"]
    assert settings_with(mail_relay_domain="Reply.ISP.example.net.").mail_relay_domain == (
        "reply.isp.example.net"
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"mail_relay_listen": "localhost"}, "is not host:port"),
        ({"mail_relay_listen": "127.0.0.1:99999"}, "is not host:port"),
        ({"mail_relay_domain": "not a domain"}, "is not a mail domain"),
    ],
)
def test_a_setting_that_makes_no_sense_stops_the_start_saying_why(values, message):
    with pytest.raises(ValidationError, match=message):
        settings_with(**values)


def test_listen_addresses_of_every_form():
    assert parse_listen("127.0.0.1:2525") == ("127.0.0.1", 2525)
    assert parse_listen("[::1]:25") == ("::1", 25)
    assert parse_listen(":2525") == ("", 2525)
