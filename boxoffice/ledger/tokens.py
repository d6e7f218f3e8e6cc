"""Bearer tokens: made by ``secrets``, stored only as SHA-256 digests, checked in constant time.

A token is 32 random bytes: a digest without a salt is enough (nothing to guess from it),
and lets the service check a token without the token ever being written down.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boxoffice.ledger.database import one_at_a_time
from boxoffice.ledger.tables import Token

READ = "read"
WRITE = "write"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session: Session, read_only: bool = False, label: str = "") -> str:
    """A new token (returned once, never stored) and its digest row."""
    token = secrets.token_urlsafe(32)
    session.add(Token(digest=digest(token), read_only=read_only, label=label))
    return token


def first_token(session: Session) -> str | None:
    """A read-write token when the ledger has none yet (its first start), else None: one, however many start at once."""
    one_at_a_time(session.connection())
    if session.scalar(select(func.count()).select_from(Token)):
        return None
    return create_token(session, label="created on first start")


def scope_of(session: Session, presented: str) -> str | None:
    """READ or WRITE for a known token, None otherwise.

    Every stored digest is compared, with ``hmac.compare_digest``, whatever matched before:
    how long the check takes says nothing about which digest, or how much of one, matched.
    """
    wanted = digest(presented)
    scope = None
    for stored, read_only in session.execute(select(Token.digest, Token.read_only)):
        if hmac.compare_digest(stored, wanted):
            scope = READ if read_only else WRITE
    return scope
