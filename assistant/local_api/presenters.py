"""What the page receives: the run and each check as plain JSON-ready dicts.

The one place that decides what leaves the local API about a check. A premium check that
is locked is described (what it would show, and why it is locked) but never carries a
result, even if one exists.
"""

from __future__ import annotations

import re

from assistant import formats
from assistant.i18n import _
from assistant.premium.access import PremiumAccess
from assistant.runs import CheckInfo, Run, RunBoard
from assistant.verdict import check_status, verdict
from isp_common.diagnostics.report import CheckStatus


def dom_id(check_id: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_-]", "-", check_id)


def check_view(info: CheckInfo, run: Run | None, *, premium: PremiumAccess) -> dict:
    view = {
        "id": info.id,
        "dom_id": dom_id(info.id),
        "area": info.category,
        "title": _(info.title),
        "description": _(info.description or info.title),
        "premium": info.premium,
        "state": "pending",
        "status": None,
        "summary": "",
        "reason": None,
        "advice": None,
        "findings": [],
        "lock_reason": None,
        "lock_text": None,
    }
    lock = premium.check_lock(info.id, info.category, info.premium)
    if lock is not None:
        view.update(state="locked", lock_reason=lock.reason, lock_text=lock.text)
        return view
    result = run.results.get(info.id) if run else None
    if result is None:
        if run is not None and info.id not in run.check_ids:
            return view  # unlocked after this run started: the next run has it

        if run is not None and run.finished:
            # The run ended without this check (it failed as a whole): say so honestly.
            view.update(state="done", status=CheckStatus.unknown.value)
        return view
    findings = sorted(result.findings, key=lambda f: -f.severity.rank)
    view.update(
        state="done",
        status=check_status(result),
        reason=result.reason,
        advice=result.advice,
        summary=findings[0].title if findings else (result.reason or ""),
        findings=[
            {
                "id": finding.id,
                "severity": finding.severity.value,
                "title": finding.title,
                "explanation": finding.explanation,
                "steps": list(finding.steps),
                "quick_link": finding.quick_link.value if finding.quick_link else None,
                "calls_hotline": finding.calls_hotline,
            }
            for finding in findings
        ],
    )
    return view


def run_view(board: RunBoard, *, premium: PremiumAccess) -> dict | None:
    run = board.run
    if run is None:
        return None
    statuses = [check_status(result) for result in run.results.values()]
    at_a_glance = verdict(run.results.values())
    total = len(run.check_ids)
    done = len(run.results) if not run.finished else total
    return {
        "number": run.number,
        "started_at": run.started_at.isoformat(),
        "finished": run.finished,
        "finished_at": run.report.finished_at.isoformat() if run.report else None,
        "finished_text": formats.moment(run.report.finished_at) if run.report else None,
        "total": total,
        "done": done,
        "light": at_a_glance.light,
        # Findings that seem to contradict each other, read together in one sentence each.
        "combined": [{"id": c.id, "text": c.text} for c in at_a_glance.combined],
        "not_checked": total - sum(s not in ("unknown", "timed_out") for s in statuses),
        "premium_unlocked": premium.unlocked(),
    }


def snapshot(board: RunBoard, *, premium: PremiumAccess) -> dict:
    run = board.run
    return {
        "run": run_view(board, premium=premium),
        "checks": [check_view(info, run, premium=premium) for info in board.visible_checks()],
    }
