"""The pages' common parts: the table of forms' outcomes waiting for their page
(`agent_portal.web.flash`). Its base templates are the first folder of
`web.templating` itself (`agent_portal.domains`)."""

from agent_portal.domains import Domain
from agent_portal.web import models

DOMAIN = Domain(name="web", models=models)
