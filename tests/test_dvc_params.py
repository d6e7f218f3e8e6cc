"""Every stage declares, in dvc.yaml, the params it reads, and reads the params it declares.

A param read but not declared leaves a stage's outputs stale when it changes; one declared
but never read re-runs the stage for nothing. The reads are those of the tiny project's
build (``tests.tiny.recording_params``): the real stage scripts, through every stage.
"""

from __future__ import annotations

import pytest

from tests import tiny

INSTANCES = {name: declared for name, _, declared in tiny.stage_instances(tiny.tiny_params())}


def covered(read: str, declared: list[str]) -> bool:
    return any(read == key or read.startswith(key + ".") for key in declared)


@pytest.mark.parametrize("stage", INSTANCES)
def test_every_param_a_stage_reads_is_declared(stage: str, params_read: dict[str, set[str]]) -> None:
    assert params_read[stage], f"{stage} read no params at all: is it recorded?"
    undeclared = sorted(read for read in params_read[stage] if not covered(read, INSTANCES[stage]))
    assert undeclared == [], f"{stage} reads params its dvc.yaml entry does not list: {undeclared}"


def leaves(value: object, path: str) -> list[str]:
    """The dotted keys of every value under ``path`` that is not a mapping (an empty mapping is one)."""
    if isinstance(value, dict) and value:
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{path}.{key}")]
    return [path]


@pytest.mark.parametrize("stage", sorted({name.split("@")[0] for name in INSTANCES}))
def test_every_declared_param_is_read(stage: str, params_read: dict[str, set[str]]) -> None:
    """Every value under every declared key, by some item of a matrix stage at least (its items share one list)."""
    params = tiny.tiny_params()
    items = [name for name in INSTANCES if name.split("@")[0] == stage]
    reads = set().union(*(params_read[name] for name in items))
    for name in items:
        declared = [leaf for key in INSTANCES[name] for leaf in leaves(tiny.dotted(params, key), key)]
        unread = [leaf for leaf in declared if not covered(leaf, sorted(reads))]
        assert unread == [], f"{name} declares params no item of {stage} reads: {unread}"
