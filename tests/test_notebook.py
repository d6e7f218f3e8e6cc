"""The exploratory notebook (a jupytext percent script) runs headless on the pipeline's outputs."""

from __future__ import annotations

from pathlib import Path

import jupytext
from nbclient import NotebookClient

from tests.conftest import ROOT


def test_notebook_executes_on_the_pipeline_outputs(pipeline: Path) -> None:
    notebook = jupytext.read(ROOT / "notebooks" / "explore.py")
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(pipeline)}}
    ).execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]
    assert not [out for out in outputs if out.output_type == "error"]
    text = "".join(out.get("text", "") for out in outputs)
    assert "3228 films with a known budget and revenue" in text
    assert "correlation of log budget with log revenue: 0.657" in text
    assert sum("image/png" in out.get("data", {}) for out in outputs) >= 3
