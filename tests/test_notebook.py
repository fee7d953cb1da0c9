"""docs/notebook.ipynb runs top to bottom (nbclient, the test extra) and displays rich output."""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat (the test extra) is not installed")
nbclient = pytest.importorskip("nbclient", reason="nbclient (the test extra) is not installed")
pytest.importorskip("ipykernel", reason="ipykernel (the test extra) is not installed")
pytest.importorskip("qutip", reason="QuTiP (the qutip extra) is not installed")

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "notebook.ipynb"


def test_notebook_executes(monkeypatch):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    root = str(NOTEBOOK.parents[1])  # the kernel imports this copy of blendsym
    env_path = os.environ.get("PYTHONPATH", "")
    monkeypatch.setenv("PYTHONPATH", root + (os.pathsep + env_path if env_path else ""))
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute(
        cwd=str(NOTEBOOK.parent)
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    latex = [o["data"]["text/latex"] for o in outputs if "text/latex" in o.get("data", {})]
    assert any(r"\frac{d\rho_b}{dt}" in t for t in latex)  # BlendedReducedState
    assert any(r"\frac{d\rho_*}{dt}" in t for t in latex)  # BlendedCoherent
    assert any(r"\frac{d\rho}{dt}" in t for t in latex)  # QuantumNetwork
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("Trajectory" in h for h in html) and any("SpectralAnalysis" in h for h in html)
    text = "".join(o.get("text", "") for o in outputs)
    assert "max |QuTiP - blendsym|" in text
