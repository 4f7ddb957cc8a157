"""The computer's facts, collected for real on this machine and checked against the OS."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest

from assistant.diagnostics import CheckStatus, run_diagnostics
from assistant.diagnostics.catalogue import get_check
from assistant.diagnostics.collectors import Collectors
from assistant.diagnostics.commands import CommandRunner
from assistant.diagnostics.errors import AccessDenied, NotSupported, ToolMissing
from assistant.diagnostics.platform._linux import LinuxBackend
from assistant.diagnostics.platform._linux_procs import LinuxProcessSampler
from assistant.diagnostics.platform._psutil_procs import PsutilProcessSampler
from assistant.diagnostics.runner import run_check
from tests.assistant.diagnostics.diagnostics_support import loopback_settings, run, run_as_nobody
from tests.support.system import require_program

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def collectors(**settings) -> Collectors:
    return Collectors.create(loopback_settings(**settings))


def _meminfo(key: str) -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise KeyError(key)


def _unescape(field: str) -> str:
    return field.encode().decode("unicode_escape")  # /proc/mounts writes " " as \040


def test_memory_totals_match_proc_meminfo():
    facts = run(collectors().system.memory())
    assert facts.total_bytes == _meminfo("MemTotal")
    assert facts.swap_total_bytes == _meminfo("SwapTotal")
    assert 0 < facts.available_bytes <= facts.total_bytes


def test_partitions_match_proc_mounts_and_statvfs():
    facts = run(collectors().system.storage())
    mounts = set()
    for line in Path("/proc/mounts").read_text().splitlines():
        device, mountpoint, fstype = line.split()[:3]
        mounts.add((_unescape(device), _unescape(mountpoint), fstype))
    assert facts.partitions
    for part in facts.partitions:
        assert (part.device, part.mountpoint, part.fstype) in mounts
    root = next(p for p in facts.partitions if p.mountpoint == "/")
    stat = os.statvfs("/")
    assert root.total_bytes == stat.f_blocks * stat.f_frsize


def test_uptime_and_processor_match_the_kernel():
    c = collectors()
    uptime = run(c.system.uptime())
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            assert abs(uptime.boot_time.timestamp() - int(line.split()[1])) <= 1
    cpu = run(c.system.cpu(0.1))
    assert cpu.logical_cpus == os.cpu_count()
    assert len(cpu.per_core_percent) == os.cpu_count()
    assert 0 <= cpu.percent <= 100


def test_interfaces_match_the_kernel():
    facts = run(collectors().network.interfaces())
    names = {name for _index, name in socket.if_nameindex()}
    assert {i.name for i in facts.interfaces} >= names
    loopback = next(i for i in facts.interfaces if i.name == "lo")
    assert loopback.is_loopback and loopback.is_up
    assert "127.0.0.1" in [a.address for a in loopback.addresses]


@pytest.fixture
def busy_child():
    child = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield child
    child.kill()
    child.wait()


def test_snapshot_shows_a_busy_program_with_name_user_and_start(busy_child):
    real = psutil.Process(busy_child.pid)
    sampler = LinuxProcessSampler()
    before, started = sum(real.cpu_times()[:2]), time.monotonic()
    sampler.sample()
    time.sleep(0.5)
    # Generous: other programs may be busy too; the spinning one must be among them.
    facts = sampler.snapshot(top=20)
    real_share = (sum(real.cpu_times()[:2]) - before) / (time.monotonic() - started) * 100
    entry = next(p for p in facts.top_cpu if p.pid == busy_child.pid)
    # A busy machine gives the spinner less than a core; the share shown must be the one
    # it actually got over the same half second, whatever that was.
    assert entry.cpu_percent > 1
    assert abs(entry.cpu_percent - real_share) < max(10, real_share * 0.3)
    assert entry.name == real.name()
    assert entry.user == pwd.getpwuid(os.getuid()).pw_name
    assert abs(entry.started_at.timestamp() - real.create_time()) < 1
    assert (
        facts.process_count == len(psutil.pids())
        or abs(facts.process_count - len(psutil.pids())) < 20
    )


def test_snapshot_counts_this_process_with_its_memory():
    sampler = LinuxProcessSampler()
    samples = {pid: (cpu, memory) for cpu, memory, pid in sampler.sample()}
    assert os.getpid() in samples
    rss = psutil.Process().memory_info().rss
    assert abs(samples[os.getpid()][1] - rss) < rss * 0.2
    details = sampler.describe(os.getpid())
    assert details.name == psutil.Process().name()


def test_the_memory_shown_is_the_exact_figure_of_statm():
    (sleeper,) = _sleepers(1)
    try:
        time.sleep(0.1)  # let it reach its sleep, where its memory stays put
        facts = LinuxProcessSampler().snapshot(top=100_000)  # every process shown
        shown = {p.pid: p.memory_bytes for p in facts.top_memory}
        statm = Path(f"/proc/{sleeper.pid}/statm").read_text().split()
        assert shown[sleeper.pid] == int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
        assert [p.memory_bytes for p in facts.top_memory] == sorted(shown.values(), reverse=True)
    finally:
        sleeper.kill()
        sleeper.wait()


def _sleepers(count: int) -> list[subprocess.Popen]:
    return [subprocess.Popen(["sleep", "60"]) for _ in range(count)]


def test_processes_that_end_during_the_pass_are_left_out():
    sleepers = _sleepers(12)
    doomed, survivors = sleepers[:6], sleepers[6:]

    def list_then_kill() -> list[str]:
        # The list is taken, then half the processes end before their files are read.
        pids = [name for name in os.listdir("/proc") if name.isdigit()]
        for process in doomed:
            process.kill()
            process.wait()
        return pids

    try:
        sampler = LinuxProcessSampler(list_pids=list_then_kill)
        seen = {pid for _cpu, _memory, pid in sampler.sample()}
        assert not seen & {p.pid for p in doomed}
        assert {p.pid for p in survivors} <= seen
        assert sampler.describe(doomed[0].pid) is None
    finally:
        for process in sleepers:
            process.kill()
            process.wait()


def test_the_psutil_sampler_survives_processes_ending_while_it_runs():
    sampler = PsutilProcessSampler()
    sleepers = _sleepers(30)
    try:
        sampler.sample()
        for process in sleepers[:15]:
            process.kill()
            process.wait()
        facts = sampler.snapshot(top=5)
        assert facts.process_count > 0
        assert sampler.describe(sleepers[0].pid) is None
        seen = {pid for _cpu, _memory, pid in sampler.sample()}
        assert not seen & {p.pid for p in sleepers[:15]}
        assert {p.pid for p in sleepers[15:]} <= seen
    finally:
        for process in sleepers:
            process.kill()
            process.wait()


def test_disk_health_is_unknown_when_smartctl_is_not_on_the_path(tmp_path):
    settings = loopback_settings()
    empty = CommandRunner(path=str(tmp_path))
    c = Collectors.create(settings, runner=empty, backend=LinuxBackend(empty))
    result = run(run_check(get_check("computer.disk_health"), c))
    assert result.status is CheckStatus.unknown
    assert "smartctl" in result.reason and "not installed" in result.reason
    assert result.findings == []
    with pytest.raises(ToolMissing):
        run(c.smart.collect())


@pytest.fixture
def root_only_file():
    """A file only root may open, in a folder everyone may enter."""
    folder = tempfile.mkdtemp(prefix="diagnostics-")
    os.chmod(folder, 0o755)
    path = Path(folder) / "disk"
    path.write_bytes(b"\0" * 4096)
    path.chmod(0o600)
    yield path
    path.unlink()
    os.rmdir(folder)


def test_disk_health_needs_administrator_rights_for_an_ordinary_user(root_only_file):
    require_program("smartctl", "smartmontools")
    c = Collectors.create(loopback_settings(smart_devices=[f"{root_only_file}:sat"]))

    def as_user():
        try:
            run(c.smart.collect())
        except AccessDenied as err:
            return "denied", err.reason
        except NotSupported as err:
            return "unsupported", err.reason
        return "read", ""

    kind, reason = run_as_nobody(as_user)
    assert kind == "denied"
    assert "administrator rights" in reason


def test_unreadable_login_settings_end_as_unknown_not_as_a_guess(root_only_file):
    root = root_only_file.parent
    config = root / "etc" / "gdm3" / "custom.conf"
    config.parent.mkdir(parents=True)
    for folder in (root / "etc", config.parent):
        folder.chmod(0o755)
    config.write_text("[daemon]\nAutomaticLoginEnable=true\nAutomaticLogin=anna\n")
    config.chmod(0o600)
    backend = LinuxBackend(CommandRunner(), root=root)
    try:
        facts = run_as_nobody(lambda: run(backend.accounts()))
    finally:
        config.unlink()
        config.parent.rmdir()
        (root / "etc").rmdir()
    assert facts.auto_login is None and facts.guest_enabled is None
    assert any("custom.conf" in reason for reason in facts.unreadable)
    check = get_check("security.accounts")
    ids = [f.id for f in check.evaluate(facts, loopback_settings().thresholds)]
    assert "security.accounts.unreadable" in ids
    assert "security.accounts.auto_login" not in ids


def test_the_computer_checks_run_on_this_machine():
    report = run(run_diagnostics(loopback_settings(), categories=["computer"], language="en"))
    assert {r.check_id for r in report.checks} == {
        "computer.cpu",
        "computer.memory",
        "computer.storage",
        "computer.disk_health",
        "computer.battery",
        "computer.temperatures",
        "computer.uptime",
        "computer.processes",
    }
    for result in report.checks:
        if result.status is CheckStatus.completed:
            assert result.findings, result.check_id
        else:
            assert result.status is CheckStatus.unknown and result.reason, result.check_id
    processes = report.result("computer.processes")
    assert processes.status is CheckStatus.completed
    assert processes.facts.process_count > 1
    assert report.started_at <= datetime.now(UTC)
