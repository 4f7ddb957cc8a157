"""Names both sides use are defined once, in `isp_common`: a second `Tier` or unlock-code
length can drift from the first (the server issuing codes the assistant refuses), and a
second enum of the same name is a trap for whoever imports the wrong one.

The modules that use them import them; re-exporting (`from isp_common.i18n import N_ as
N_`) is no second definition.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.source_files import source_facts

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agent_portal", "assistant", "isp_common")
DEFINED_ONCE = {
    "N_": "isp_common/i18n.py",
    "Tier": "isp_common/features.py",
    "Category": "isp_common/diagnostics/report.py",
    "CODE_DIGITS": "isp_common/offline_codes.py",
}


def definitions(name: str, root: Path) -> list[str]:
    """The modules that define `name` at their top level (def, class or assignment)."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if name in source_facts(path).defined_at_top:
                found.append(path.relative_to(root).as_posix())
    return found


@pytest.mark.parametrize("name", DEFINED_ONCE)
def test_a_shared_name_has_one_definition(name):
    assert definitions(name, ROOT) == [DEFINED_ONCE[name]]


def test_a_second_definition_is_found(tmp_path):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
    (tmp_path / "isp_common/features.py").write_text("class Tier:\n    pass\n")
    (tmp_path / "agent_portal/models.py").write_text("import enum\nclass Tier(enum.StrEnum): ...\n")
    (tmp_path / "assistant/texts.py").write_text("def N_(text):\n    return text\n")
    assert definitions("Tier", tmp_path) == ["agent_portal/models.py", "isp_common/features.py"]
    assert definitions("N_", tmp_path) == ["assistant/texts.py"]
