"""Entry point for ``uvicorn main:app --host 0.0.0.0 --port 8000`` (run from the project root)."""

from boxoffice.serving.api import create_app

app = create_app()
