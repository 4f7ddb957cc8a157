"""Imports every domain's models, so that the metadata (and Alembic) sees all tables."""

from agent_portal.attempts import models as attempts_models  # noqa: F401
from agent_portal.audit import models as audit_models  # noqa: F401
from agent_portal.auth import models as auth_models  # noqa: F401
from agent_portal.chat import models as chat_models  # noqa: F401
from agent_portal.consent import models as consent_models  # noqa: F401
from agent_portal.customers import models as customers_models  # noqa: F401
from agent_portal.database import Base
from agent_portal.devices import models as devices_models  # noqa: F401
from agent_portal.jobs import models as jobs_models  # noqa: F401
from agent_portal.knowledge import models as knowledge_models  # noqa: F401
from agent_portal.mail import models as mail_models  # noqa: F401
from agent_portal.realtime import models as realtime_models  # noqa: F401
from agent_portal.remote_diagnostics import models as remote_diagnostics_models  # noqa: F401
from agent_portal.unlock_codes import models as unlock_codes_models  # noqa: F401
from agent_portal.web import models as web_models  # noqa: F401

__all__ = ["Base"]
