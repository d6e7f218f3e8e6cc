"""Every stage declares in dvc.yaml what it reads (params and files), and reads what it declares.

A param or file read but not declared leaves a stage's outputs stale when it changes; one
declared but never read re-runs the stage for nothing. The reads are those of the tiny
project's build (``tests.tiny.recording_params`` and ``recording_files``): the real stage
scripts, through every stage. Code is the import closure's business (``test_dvc_deps``).
"""

from __future__ import annotations

import pytest

from tests import tiny
from tests.reads import StageReads

PARAMS = tiny.tiny_params()
STAGES = {stage.name: stage for stage in tiny.stage_instances(PARAMS)}
GROUPS = sorted({name.split("@")[0] for name in STAGES})


def covered(path: str, declared: list[str]) -> bool:
    """``path`` (dotted or slashed) is one of ``declared`` or lies under one."""
    return any(path == key or path.startswith(key + ".") or path.startswith(key + "/") for key in declared)


def items_of(group: str) -> list[tiny.Stage]:
    """A matrix stage's items (they share one list of deps and params), or the stage itself."""
    return [stage for name, stage in STAGES.items() if name.split("@")[0] == group]


def leaves(value: object, path: str) -> list[str]:
    """The dotted keys of every value under ``path`` that is not a mapping (an empty mapping is one)."""
    if isinstance(value, dict) and value:
        return [leaf for key, item in value.items() for leaf in leaves(item, f"{path}.{key}")]
    return [path]


@pytest.mark.parametrize("stage", STAGES)
def test_every_param_a_stage_reads_is_declared(stage: str, stage_reads: dict[str, StageReads]) -> None:
    read = stage_reads[stage].params
    # A stage that declares params reads some (else the recording is broken); one that declares none
    # (report: every figure it writes is in the metrics it reads) must read none.
    assert read or not STAGES[stage].params, f"{stage} read no params at all: is it recorded?"
    undeclared = sorted(key for key in read if not covered(key, STAGES[stage].params))
    assert undeclared == [], f"{stage} reads params its dvc.yaml entry does not list: {undeclared}"


@pytest.mark.parametrize("group", GROUPS)
def test_every_declared_param_is_read(group: str, stage_reads: dict[str, StageReads]) -> None:
    """Every value under every declared key, by some item of a matrix stage at least."""
    read = sorted(set().union(*(stage_reads[stage.name].params for stage in items_of(group))))
    for stage in items_of(group):
        declared = [leaf for key in stage.params for leaf in leaves(tiny.dotted(PARAMS, key), key)]
        unread = [leaf for leaf in declared if not covered(leaf, read)]
        assert unread == [], f"{stage.name} declares params no item of {group} reads: {unread}"


@pytest.mark.parametrize("stage", STAGES)
def test_every_file_a_stage_reads_is_declared(stage: str, stage_reads: dict[str, StageReads]) -> None:
    """A dep, or the stage's own output read back (params.yaml is the params' business)."""
    read = stage_reads[stage].files - {"params.yaml"}
    assert read, f"{stage} read no files at all: is it recorded?"
    undeclared = sorted(path for path in read if not covered(path, STAGES[stage].deps + STAGES[stage].outs))
    assert undeclared == [], f"{stage} reads files its dvc.yaml entry does not list: {undeclared}"


@pytest.mark.parametrize("group", GROUPS)
def test_every_declared_data_dep_is_read(group: str, stage_reads: dict[str, StageReads]) -> None:
    """Every dep that is not code (nor package data, which a cached function may have read
    for an earlier stage of this one process) is read by some item of a matrix stage at least."""
    read = sorted(set().union(*(stage_reads[stage.name].files for stage in items_of(group))))
    for stage in items_of(group):
        data = [dep for dep in stage.deps if not dep.startswith(("boxoffice/", "stages/"))]
        unread = [dep for dep in data if not any(covered(path, [dep]) for path in read)]
        assert unread == [], f"{stage.name} declares deps no item of {group} reads: {unread}"
