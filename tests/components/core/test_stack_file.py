"""Reading `Pulumi.<stack>.yaml` directly (offline plan, previews): file-level problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.problems import ConfigurationError
from components.core.stack_file import load_stack, read_stack_config, stack_file_name
from simtenant.fakes.mock_runtime import ROOT

BAD = Path(__file__).resolve().parents[2] / "stacks" / "bad"

EXPECTED = {
    "duplicate-key": [
        "Pulumi.duplicate-key.yaml: entra-consent:features.calendar.users: duplicate key (line 10; first at line 9; keep one)",
        "Pulumi.duplicate-key.yaml: entra-consent:features.teams: duplicate key (line 11; first at line 5; keep one)",
    ],
    "not-a-mapping": ["Pulumi.not-a-mapping.yaml: must be a YAML mapping with a config key"],
    "config-list": ["Pulumi.config-list.yaml: config: must be a mapping of config keys"],
    "alias-bomb": [
        "Pulumi.alias-bomb.yaml: other:lol.f: line 11: more than 200000 values once aliases are expanded (write the values out, or use fewer aliases)"
    ],
    "non-utf8": [
        "Pulumi.non-utf8.yaml: line 5: not UTF-8 text (byte 0xe9 at column 34; save the file as UTF-8)"
    ],
    "non-string-keys": [
        "Pulumi.non-string-keys.yaml: entra-consent:features: line 7: a key must be a name, not a list or mapping",
        'Pulumi.non-string-keys.yaml: entra-consent:features.2024: line 5: the key is read as int, not a name (put it in quotes: "2024")',
    ],
    "invalid-yaml": [
        "Pulumi.invalid-yaml.yaml: line 5: not valid YAML: did not find expected ',' or '}'"
    ],
}


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BAD.glob("Pulumi.*.yaml")) == sorted(
        stack_file_name(case) for case in EXPECTED
    )


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_stack_file(case: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        read_stack_config(BAD, case)
    assert [str(p) for p in caught.value.problems] == EXPECTED[case]


def test_missing_stack_file() -> None:
    with pytest.raises(ConfigurationError) as caught:
        read_stack_config(BAD, "prod")
    assert str(caught.value) == f"Pulumi.prod.yaml: no such stack file in {BAD} (check --stack)"


def test_dev_stack_file_is_valid() -> None:
    config = read_stack_config(ROOT, "dev")
    catalogue, settings = load_stack(config, ROOT, stack_file_name("dev"))
    # The example stack enables every seed feature and uses every consent mode.
    assert set(settings.features) == set(catalogue.features)
    assert {fs.consent for fs in settings.features.values()} == {"tenant", "principals", "none"}
