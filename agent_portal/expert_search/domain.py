"""Expert search's registration: the search API (for the assistant and the portal's
escalation picker) and the public status badge, the tables of the search index and the
ratings, and the index following an expert's account (`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.expert_search import index, models, views

DOMAIN = Domain(
    name="expert_search",
    routers=(views.router,),
    models=models,
    account_changed=index.account_changed,
)
