"""Single requests that arrive together are answered by one vectorised call.

Under load, uvicorn reads several requests from their sockets in one turn of the event
loop. Each handler hands its film to a ``Coalescer`` and waits; the first schedules a
flush a few turns later (``turns``), which scores every film waiting by then in one call
of the vectorised code the batches use. Waiting a turn or two more lets the requests
read in those turns join, so a group's fixed cost (the many small numpy calls of one
vectorised call) is shared by more films. A film's numbers do not depend on its
neighbours (the tests hold a film alone and in a batch to the same bits), so this only
shares the per-call cost of the numpy calls (bench/serve.py measures it).

There is no timer (unlike Ray Serve's or Modal's batching, which wait up to a set time
for more requests): a request waits only for the requests read in the next few turns of
the loop. A lone request pays ``turns`` + 1 more turns of the event loop (microseconds on
an idle loop); ``serve.coalesce=1`` scores each film at once instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Coalescer(Generic[Item, Result]):
    """``await coalescer(item)`` is ``score([..., item, ...])``'s answer for ``item``.

    ``score`` takes a list of items and returns one result per item, in order. Items
    submitted within ``turns`` turns of the loop of the first are scored together, at most
    ``max_items`` at a time (1: the items submitted in the same turn). If scoring a group
    raises, each of its items is scored alone, so a failure reaches only the request that
    caused it.
    """

    def __init__(self, score: Callable[[Sequence[Item]], Sequence[Result]], max_items: int, turns: int = 1) -> None:
        if max_items < 1:
            raise ValueError(f"max_items must be at least 1, not {max_items}")
        if turns < 1:
            raise ValueError(f"turns must be at least 1, not {turns}")
        self.score = score
        self.max_items = max_items
        self.turns = turns
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []

    async def __call__(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Result] = loop.create_future()
        self._waiting.append((item, future))
        if len(self._waiting) >= self.max_items:
            self._flush()
        elif len(self._waiting) == 1:
            loop.call_soon(self._flush_after, self.turns - 1)  # after the handlers already scheduled
        return await future

    def _flush_after(self, turns: int) -> None:
        """Flush now, or ``turns`` turns of the loop later: the requests read meanwhile join the group."""
        if turns > 0 and self._waiting:
            asyncio.get_running_loop().call_soon(self._flush_after, turns - 1)
        else:
            self._flush()

    def _flush(self) -> None:
        waiting, self._waiting = self._waiting, []
        if not waiting:
            return
        try:
            results = list(self.score([item for item, _ in waiting]))
            if len(results) != len(waiting):
                raise ValueError(f"{len(results)} results for {len(waiting)} items")
        except Exception:  # every future must be settled, or its request would wait for ever
            for item, future in waiting:
                _settle(future, lambda item=item: self.score([item])[0])  # type: ignore[misc]
            return
        for (_, future), result in zip(waiting, results, strict=True):
            if not future.done():  # done: its request was cancelled (the client went away)
                future.set_result(result)


def _settle(future: asyncio.Future[Result], compute: Callable[[], Result]) -> None:
    """``future`` gets ``compute()``'s result, or the exception it raised."""
    try:
        result = compute()
    except Exception as err:
        if not future.done():
            future.set_exception(err)
        return
    if not future.done():
        future.set_result(result)
