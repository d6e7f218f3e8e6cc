"""``python -m boxoffice.ledger token create [--read-only] [--port N]``: a new bearer token, printed once (alone
on standard output) and as the ledger page's link (on standard error).
``python -m boxoffice.ledger export [PATH]``: the films with actual results, in the films schema.

The ledger is the one ``BOXOFFICE_LEDGER_URL`` / ``BOXOFFICE_LEDGER_DIR`` name (as for the service).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.films import export_films
from boxoffice.ledger.links import PUBLIC_URL, page_link, public_base
from boxoffice.ledger.settings import LedgerSettings
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tokens import create_token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m boxoffice.ledger", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="bearer tokens").add_subparsers(dest="action", required=True)
    create = token.add_parser("create", help="create a token and print it (only its hash is kept)")
    create.add_argument("--read-only", action="store_true", help="may read slates, not change them")
    create.add_argument("--label", default="", help="what the token is for (kept beside its hash)")
    create.add_argument(
        "--port", type=int, default=None, help=f"the service's port, for the printed link (else {PUBLIC_URL} or 8000)"
    )
    export = commands.add_parser("export", help="write the films with actual results (boxoffice.ledger.films)")
    export.add_argument("path", nargs="?", type=Path, default=Path("data/ledger/films.csv"))
    args = parser.parse_args(argv)

    engine = make_engine(LedgerSettings().database_url())
    upgrade(engine)
    ledger = Ledger(engine)
    if args.command == "export":
        count = export_films(ledger, args.path)
        print(f"wrote {count} films with actual results to {args.path}", file=sys.stderr)
        return 0
    with ledger.session.begin() as session:
        made = create_token(session, read_only=args.read_only, label=args.label)
    scope = "read-only" if args.read_only else "read-write"
    print(made)  # alone on standard output, for a script to keep
    print(
        f"The ledger page with this {scope} token (it is not shown again):\n"
        f"    {page_link(made, public_base(port=args.port))}\n"
        f"(another address? set {PUBLIC_URL} or pass --port; an API client sends 'Authorization: Bearer <token>')",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
