"""The ledger page's link with a token: where a person opens the ledger (as Jupyter prints its URL).

The address is ``BOXOFFICE_PUBLIC_URL`` when set (a service behind a proxy, a container's mapped
port), else the host and port the service listens on; a service listening on every interface is
reached from this machine at 127.0.0.1.
"""

from __future__ import annotations

import os

PUBLIC_URL = "BOXOFFICE_PUBLIC_URL"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000  # uvicorn's own defaults
EVERY_INTERFACE = {"0.0.0.0", "::", ""}


def public_base(host: str | None = None, port: int | None = None) -> str:
    """Where the service is reached: ``BOXOFFICE_PUBLIC_URL``, else ``http://host:port``."""
    public = os.environ.get(PUBLIC_URL, "").strip()
    if public:
        return public.rstrip("/")
    host = DEFAULT_HOST if host is None or host in EVERY_INTERFACE else host
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port or DEFAULT_PORT}"


def page_link(token: str, base: str) -> str:
    return f"{base}/ledger#token={token}"
