"""What a stage reads: the params.yaml values and the files, noted while it runs in this process.

``tests.tiny.build`` runs each stage inside ``recording_params`` and ``recording_files``;
``tests/test_stage_reads.py`` holds the reads to what the stage declares in dvc.yaml.
"""

from __future__ import annotations

import contextlib
import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import yaml

from boxoffice import params as params_module
from harness.workspace import ROOT


class Recorded(dict):
    """A params mapping that notes the dotted path of every value read from it that is not itself a mapping.

    What a stage reads, so that a test can hold it to what the stage declares in dvc.yaml.
    """

    def __init__(self, data: dict, path: tuple[str, ...], reads: set[str]) -> None:
        super().__init__(data)
        self._path, self._reads = path, reads

    def _seen(self, key: str, value: object) -> object:
        path = (*self._path, str(key))
        if isinstance(value, dict) and value:  # an empty mapping is read whole, like a leaf
            return Recorded(value, path, self._reads)
        self._reads.add(".".join(path))
        return value

    def __getitem__(self, key: str) -> object:
        return self._seen(key, super().__getitem__(key))

    def get(self, key: str, default: object = None) -> object:
        return self._seen(key, super().__getitem__(key)) if key in self else default

    def __iter__(self):  # dict(...) and {**...} then read through keys() and __getitem__
        return iter(list(super().keys()))

    def values(self):  # type: ignore[override]
        return [self[key] for key in self]

    def items(self):  # type: ignore[override]
        return [(key, self[key]) for key in self]


class StageReads(NamedTuple):
    params: set[str]  # dotted params.yaml keys
    files: set[str]  # paths relative to the project folder (package data relative to the checkout)


_RECORDING: list[tuple[Path, set[str]]] = []  # the folder and the set of the recording in progress


def _note_open(event: str, args: tuple) -> None:
    """Python's "open" audit event: a file opened for reading only, while ``recording_files`` is open;
    and a folder listed (a stage that reads a whole folder, as prepare reads data/extra_films)."""
    if event in ("os.listdir", "os.scandir") and _RECORDING and isinstance(args[0], str | bytes | os.PathLike):
        folder, files = _RECORDING[-1]
        listed = Path(os.path.abspath(os.fsdecode(args[0])))
        if listed.is_dir() and listed.is_relative_to(folder) and listed != folder and "__pycache__" not in listed.parts:
            files.add(listed.relative_to(folder).as_posix())
        return
    if event != "open" or not _RECORDING or not isinstance(args[0], str | bytes | os.PathLike):
        return
    path, mode, flags = args
    reading = ("r" in mode and "+" not in mode) if isinstance(mode, str) else (flags & os.O_ACCMODE) == os.O_RDONLY
    if not reading:
        return
    folder, files = _RECORDING[-1]
    opened = Path(os.path.abspath(os.fsdecode(path)))
    if "__pycache__" in opened.parts or opened.suffix == ".py" or not opened.is_file():  # code, an import hook's name
        return
    if opened.is_relative_to(folder):
        files.add(opened.relative_to(folder).as_posix())
    elif opened.is_relative_to(ROOT / "boxoffice"):  # package data, e.g. the CPI table
        files.add(opened.relative_to(ROOT).as_posix())


@contextlib.contextmanager
def recording_files(folder: Path, files: set[str]) -> Iterator[None]:
    """Notes in ``files`` every file under ``folder`` (or package data file) opened for reading while open.

    An audit hook cannot be removed, so one is added on first use and records only in here.
    """
    if not getattr(sys, "_boxoffice_open_hook", False):
        sys.addaudithook(_note_open)
        sys._boxoffice_open_hook = True  # type: ignore[attr-defined]
    _RECORDING.append((folder.resolve(), files))
    try:
        yield
    finally:
        _RECORDING.pop()


@contextlib.contextmanager
def recording_params(reads: set[str]) -> Iterator[None]:
    """``boxoffice.params.load_params`` hands out ``Recorded`` mappings while open (noting reads in ``reads``)."""
    shim = types.SimpleNamespace(safe_load=lambda handle: Recorded(yaml.safe_load(handle) or {}, (), reads))
    real = params_module.yaml
    params_module.yaml = shim  # type: ignore[assignment]
    try:
        yield
    finally:
        params_module.yaml = real
