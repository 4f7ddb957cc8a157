"""Screen sharing's registration: its pages (the card on the conversation page, the
viewer), its table and templates (`agent_portal.domains`). Its socket messages are in
`live_kinds.py`."""

from pathlib import Path

from agent_portal.domains import Domain
from agent_portal.screen_sharing import models, pages

DOMAIN = Domain(
    name="screen_sharing",
    routers=(pages.router,),
    models=models,
    templates=Path(__file__).parent / "templates",
)
