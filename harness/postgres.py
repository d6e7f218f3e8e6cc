"""A throwaway PostgreSQL cluster (the ledger's tests and benchmark), from Debian's ``postgresql`` binaries.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` user the
package creates (``runuser``). It listens on a free loopback port with trust authentication,
lives in a temporary folder, and is stopped and removed at the end of the session.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.workspace import free_port

USER = "boxoffice"
MISSING = (
    "PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb): install it with "
    "`sudo apt-get install postgresql`; BOXOFFICE_REQUIRE_POSTGRES=1 makes its absence a failure"
)


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(Path(path).parts[4]))
    return Path(found[-1]).parent if found else None


@contextmanager
def cluster() -> Iterator[str]:
    """A running cluster; yields its SQLAlchemy URL (database ``postgres``, superuser ``boxoffice``)."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError(MISSING)
    as_owner: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="boxoffice-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, port = folder / "data", free_port()
    try:
        run([*as_owner, str(bin_dir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8"])
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            [
                *as_owner,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(folder / "log"),
                "start",
            ]
        )
        try:
            yield f"postgresql+psycopg://{USER}@127.0.0.1:{port}/postgres"
        finally:
            run([*as_owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
