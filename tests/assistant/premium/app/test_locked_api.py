"""While premium is locked, calling the local API directly gets nothing: 403 with the
reason, and nothing is looked at, run or deleted."""

from __future__ import annotations

from tests.assistant.premium.app.support import DAY
from tests.assistant.support import wait_until
from tests.support.premium_portal import unreachable_url


def test_locked_premium_routes_answer_403_and_delete_nothing(start_assistant, computer):
    cache = computer.home / ".cache" / "mozilla" / "firefox" / "abc.default" / "cache2"
    files = [computer.put(cache / "entries" / name, 2000) for name in ("A1", "B2", "C3")]
    old_temp = computer.put(computer.temp / "setup.tmp", 500, age_seconds=3 * DAY)
    assistant = start_assistant(unreachable_url())

    with assistant.client() as client:
        answers = {
            "preview": client.post("/api/cleanup/preview"),
            "run": client.post(
                "/api/cleanup/run",
                json={"preview_id": "0" * 32, "root_ids": ["firefox_cache:abc.default"]},
            ),
            "progress": client.get("/api/cleanup/progress"),
            "report": client.get("/api/cleanup/report"),
            "check": client.get("/api/checks/computer.cpu"),
        }
        for name, answer in answers.items():
            assert answer.status_code == 403, name
            body = answer.json()
            assert body["code"] == "feature_locked" and body["reason"] == "no_entitlement"
            assert body["error"].startswith("This feature is part of Premium."), name
        assert answers["check"].json()["feature"] == "system_info"
        assert answers["preview"].json()["feature"] == "cleanup"
        # A free check is there for everyone.
        assert client.get("/api/checks/internet.dns").status_code == 200

        state = wait_until(lambda: (s := client.get("/api/state").json())["run"]["finished"] and s)
        report = client.get("/api/report").json()

    assert all(path.exists() for path in [*files, old_temp])
    locked = {c["id"]: c for c in state["checks"] if c["state"] == "locked"}
    assert set(locked) == {"computer.cpu", "computer.memory", "security.firewall"}
    assert {c["lock_reason"] for c in locked.values()} == {"no_entitlement"}
    assert not [c for c in report["checks"] if c["premium"]]
