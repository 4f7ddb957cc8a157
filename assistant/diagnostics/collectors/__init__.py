"""Everything the checks ask, bundled once per run and handed to each check.

Checks never build their collaborators: the runner passes a `Collectors`, so a test can
hand in one made with its own settings, command path or OS backend, and use real objects
throughout. This package pulls in psutil and httpx; the report and the catalogue do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.diagnostics.collectors.mail import MailProbe
from assistant.diagnostics.collectors.network import NetworkCollector
from assistant.diagnostics.collectors.smart import SmartCollector
from assistant.diagnostics.collectors.system import SystemCollector
from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.platform import PlatformBackend, ProcessSampler, current_backend
from assistant.diagnostics.settings import DiagnosticsSettings

# A program may run as long as this; the check that started it is normally cut (and the
# program killed) much earlier by its own time limit.
COMMAND_TIMEOUT = 600.0


@dataclass
class Collectors:
    settings: DiagnosticsSettings
    runner: CommandRunner
    backend: PlatformBackend
    system: SystemCollector
    network: NetworkCollector
    mail: MailProbe
    smart: SmartCollector
    _sampler: ProcessSampler | None = field(default=None, repr=False)

    @property
    def processes(self) -> ProcessSampler:
        """One sampler per bundle: it keeps CPU times between passes."""
        if self._sampler is None:
            self._sampler = self.backend.process_sampler()
        return self._sampler

    @classmethod
    def create(
        cls,
        settings: DiagnosticsSettings,
        runner: CommandRunner | None = None,
        backend: PlatformBackend | None = None,
    ) -> Collectors:
        runner = runner or CommandRunner()
        backend = backend or current_backend(runner, command_timeout=COMMAND_TIMEOUT)
        timeout = settings.network_timeout_seconds
        return cls(
            settings=settings,
            runner=runner,
            backend=backend,
            system=SystemCollector(backend, partition_timeout=timeout),
            network=NetworkCollector(backend, settings),
            mail=MailProbe(timeout, settings.mail_ca_file),
            smart=SmartCollector(runner, settings.smart_devices, COMMAND_TIMEOUT),
        )


__all__ = ["Collectors"]
