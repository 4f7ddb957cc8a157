"""Chat's registration: the inbox and topic pages, its tables, its command, its templates
and the job that routes waiting chats (`agent_portal.domains`). Its socket messages are in
`live_kinds.py`."""

from pathlib import Path

from agent_portal.chat import cli, flows, models, pages, topic_pages
from agent_portal.domains import Domain


def jobs(settings):
    from agent_portal.realtime.hub import PeriodicJob

    return [
        PeriodicJob(
            "chat-routing", settings.live_sweep_seconds, flows.route_waiting, singleton=True
        )
    ]


DOMAIN = Domain(
    name="chat",
    # After the other domains: last in `agent-portal --help`, as it has always been.
    order=200,
    routers=(pages.router, topic_pages.router),
    models=models,
    commands=cli.register,
    templates=Path(__file__).parent / "templates",
    jobs=jobs,
)
