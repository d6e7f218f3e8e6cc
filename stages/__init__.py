"""The DVC stages' scripts, run as modules (``python -m stages.NAME``) so they import this checkout's ``boxoffice``."""
