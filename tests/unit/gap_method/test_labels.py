"""The status vocabulary is one table (gap_method/labels.py): label, tone, meaning and phrasing."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from orchestration.gap_method.labels import (
    INSUFFICIENT,
    ON_COURSE,
    STATUS_LABELS,
    STATUSES,
    status_tone,
)
from orchestration.gap_method.statements import indicator_statement

ORCHESTRATION = Path(__file__).resolve().parents[3] / "orchestration"
WORDS = {"verb": "ökar", "goal": "målet 2030", "other": "riket", "level": "rikets nivå 2030"}


def test_every_status_has_a_tone_a_meaning_and_a_phrase_per_target_type():
    for s in STATUSES:
        assert s.tone in {"good", "warn", "bad", "none"}, s.code
        assert s.meaning.endswith("."), s.code
        for template in (s.direction, s.fixed, s.moving):
            assert template.format(**WORDS, but_and="men").strip(), s.code


def test_reached_but_worsening_counts_as_on_course_yet_warns():
    # The summaries count it as "har nått målet"; its badge warns that it is slipping.
    assert "target_met_worsening" in ON_COURSE
    assert status_tone("target_met_worsening") == "warn"
    assert status_tone("target_met") == "good"
    assert status_tone("a code added later") == "none"
    assert INSUFFICIENT not in ON_COURSE


def test_no_module_outside_labels_spells_a_status_label():
    labels = set(STATUS_LABELS.values())
    spelled = []
    for path in sorted(ORCHESTRATION.rglob("*.py")):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in labels:
                spelled.append(f"{path.relative_to(ORCHESTRATION)}:{node.lineno} {node.value!r}")
    assert not spelled, "status labels spelled outside gap_method/labels.py:\n" + "\n".join(spelled)


@pytest.mark.parametrize(
    ("status", "target_type", "expected"),
    [
        ("too_slow", "direction", "Andel X ökar för långsamt."),
        (
            "target_met_worsening",
            "absolute",
            "Andel X har nått målet 2030, men minskar nu åt fel håll.",
        ),
        ("wrong_direction", "national", "Andel X minskar, och avståndet till riket växer."),
    ],
)
def test_a_statement_takes_its_phrase_from_the_table(status, target_type, expected):
    row = {
        "status": status,
        "target_type": target_type,
        "target_year": 2030,
        "direction_sign": 1.0,
        "value": 9.0,
        "baseline_value": 10.0 if status != "too_slow" else 8.0,
    }
    assert indicator_statement(row, "Andel X") == expected
