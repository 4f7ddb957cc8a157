"""The API answers as its OpenAPI description says: schemathesis reads `/openapi.json` from
the running server and sends it requests made from that description, valid ones and
invalid ones, with an API key and signed by a linked device, so the provisioning API and
the assistant's API are reached past their access checks. No answer may be a server error
or differ from the description (status, content type, body, headers).

The number of examples per operation is bounded, and the examples are the same on every
run (derandomised), so the test stays well under a minute and never fails by chance. The
check that valid-looking data is accepted is left out: the server checks more than a JSON
Schema can say (an e-mail address's domain, a public key's length in bytes), and refuses
the rest with the 422 the description declares."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import hypothesis
import pytest
import requests
import schemathesis
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from agent_portal.entitlements.service import assistant_build_config
from assistant.premium.device_keys import DeviceKey
from assistant.premium.service import PremiumService
from isp_common.premium_wire import device_request_headers
from tests.support.hypothesis_budget import examples
from tests.support.portal_data import TLS_CHECK, database_session, new_api_key
from tests.support.premium_portal import PASSWORD, provision

EXAMPLES_PER_OPERATION = 12
DESTRUCTIVE = {
    "POST /api/v1/devices/unlink",
    "DELETE /api/v1/provisioning/customers/{account_number}",
}


class Credentials(requests.auth.AuthBase):
    """Signs every request twice over: the ISP's API key, and a linked device's signature
    over the request as sent (method, path and query, body)."""

    def __init__(self, api_key: str, device_key: DeviceKey) -> None:
        self.api_key = api_key
        self.device_key = device_key

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        request.headers["Authorization"] = f"Bearer {self.api_key}"
        request.headers.update(
            device_request_headers(
                sign=self.device_key.sign,
                device_id=self.device_key.device_id,
                method=request.method,
                target=request.path_url.encode(),
                body=body.encode() if isinstance(body, str) else body,
                timestamp=int(time.time()),
            )
        )
        return request


@pytest.fixture
def settings(settings):
    """The description open to everyone (`PORTAL_API_DOCS=public`), as schemathesis reads
    it without logging in."""
    settings.api_docs = "public"
    return settings


@pytest.fixture
def credentials(portal, portal_app, database_url, tmp_path) -> Iterator[Credentials]:
    """An API key, and the key of a device linked to a provisioned customer."""
    for db_session in database_session(database_url):
        api_key = new_api_key(db_session, "conformance").key
    headers = {"Authorization": f"Bearer {api_key}"}
    with httpx.Client(verify=TLS_CHECK, base_url=portal.url, timeout=30, headers=headers) as api:
        provision(api, "K-100234")
    build = assistant_build_config(keys=portal_app.state.server_keys, servers=[portal.url])
    assistant = PremiumService.open(tmp_path / "computer", portal.url, build=build)
    assistant.sign_in("K-100234", password=PASSWORD, device_name="Laptop")
    yield Credentials(api_key, assistant.device_key)
    assistant.close()


@pytest.mark.slow  # every operation of the description, with generated input
def test_the_api_answers_as_its_description_says(portal, credentials):
    schema = schemathesis.openapi.from_url(f"{portal.url}/openapi.json")
    failures = []
    answered: dict[str, set[int]] = {}
    for operation in _in_safe_order(result.ok() for result in schema.get_all_operations()):
        statuses = answered.setdefault(operation.label, set())
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _explore(operation, mode, credentials, portal.url, statuses)
            if failure:
                failures.append(f"{operation.label} ({mode.value}): {failure}")
    assert failures == [], "\n\n".join(failures)
    # The key and the signatures let requests through: every operation answered something
    # other than "who are you?" at least once.
    kept_out = sorted(label for label, statuses in answered.items() if statuses <= {401})
    assert kept_out == [], f"only ever answered 401: {kept_out}"
    assert len(answered) >= 10, f"too few operations described: {sorted(answered)}"


def _in_safe_order(operations) -> list:
    """Unlinking the device (and erasing a customer) last, so the signed operations before
    them are answered by a linked device."""
    return sorted(operations, key=lambda operation: operation.label in DESTRUCTIVE)


def _explore(operation, mode, credentials, base_url, statuses: set[int]) -> str | None:
    @hypothesis.settings(
        max_examples=examples(EXAMPLES_PER_OPERATION),
        deadline=None,
        database=None,
        derandomize=True,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def explore(case):
        response = case.call(base_url=base_url, auth=credentials)
        statuses.add(response.status_code)
        case.validate_response(
            response,
            excluded_checks=[positive_data_acceptance],
            transport_kwargs={"base_url": base_url, "auth": credentials},
        )

    try:
        explore()
    except hypothesis.errors.Unsatisfiable:
        return None  # nothing to get wrong: no parameters and no body
    except (Exception, BaseExceptionGroup) as failure:  # each operation's failures are reported
        return str(failure)
    return None
