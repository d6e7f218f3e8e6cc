"""Coalescer: requests submitted in one turn of the loop are scored together, each gets its own answer."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from boxoffice.serving.coalescing import Coalescer


class Doubler:
    """score(): each item doubled; records the size of every call; refuses any group holding a negative number."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, items: Sequence[int]) -> list[int]:
        self.calls.append(list(items))
        if any(item < 0 for item in items):
            raise ValueError(f"negative: {[item for item in items if item < 0]}")
        return [2 * item for item in items]


def gather(coalescer: Coalescer[int, int], items: list[int]) -> list[int | BaseException]:
    async def run() -> list[int | BaseException]:
        return await asyncio.gather(*(coalescer(item) for item in items), return_exceptions=True)

    return asyncio.run(run())


def test_items_of_one_turn_are_scored_in_one_call_in_order() -> None:
    score = Doubler()
    assert gather(Coalescer(score, max_items=64), [3, 1, 4, 1, 5]) == [6, 2, 8, 2, 10]
    assert score.calls == [[3, 1, 4, 1, 5]]


def test_groups_are_at_most_max_items() -> None:
    score = Doubler()
    assert gather(Coalescer(score, max_items=2), [1, 2, 3, 4, 5]) == [2, 4, 6, 8, 10]
    assert score.calls == [[1, 2], [3, 4], [5]]


def test_max_items_one_scores_each_alone() -> None:
    score = Doubler()
    assert gather(Coalescer(score, max_items=1), [7, 8]) == [14, 16]
    assert score.calls == [[7], [8]]


def test_a_failure_reaches_only_the_item_that_caused_it() -> None:
    score = Doubler()
    results = gather(Coalescer(score, max_items=64), [1, -2, 3])
    assert results[0] == 2 and results[2] == 6
    assert isinstance(results[1], ValueError) and "negative: [-2]" in str(results[1])
    assert score.calls == [[1, -2, 3], [1], [-2], [3]]  # the group, then each alone


def test_a_score_returning_the_wrong_number_of_results_still_answers_or_fails_each_request() -> None:
    def short(items: Sequence[int]) -> list[int]:  # drops the last item of a group
        return [2 * item for item in items][: max(1, len(items) - 1)]

    assert gather(Coalescer(short, max_items=64), [1, 2, 3]) == [2, 4, 6]  # each rescored alone


def test_requests_in_later_turns_form_new_groups() -> None:
    score = Doubler()
    coalescer: Coalescer[int, int] = Coalescer(score, max_items=64)

    async def run() -> tuple[list[int], list[int]]:
        first = await asyncio.gather(coalescer(1), coalescer(2))
        second = await asyncio.gather(coalescer(3))
        return first, second

    assert asyncio.run(run()) == ([2, 4], [6])
    assert score.calls == [[1, 2], [3]]


def test_a_cancelled_request_does_not_disturb_the_others() -> None:
    score = Doubler()
    coalescer: Coalescer[int, int] = Coalescer(score, max_items=64)

    async def run() -> tuple[bool, int]:
        gone = asyncio.ensure_future(coalescer(1))
        kept = asyncio.ensure_future(coalescer(2))
        await asyncio.sleep(0)  # both are now waiting on the same group
        gone.cancel()
        return (await asyncio.gather(gone, return_exceptions=True))[0].__class__ is asyncio.CancelledError, await kept

    assert asyncio.run(run()) == (True, 4)
    assert score.calls == [[1, 2]]


def test_max_items_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Coalescer(Doubler(), max_items=0)


@pytest.mark.parametrize(("turns", "groups"), [(1, [[1], [2]]), (3, [[1, 2]])])
def test_a_request_read_a_turn_later_joins_the_group_only_within_its_turns(turns: int, groups: list[list[int]]) -> None:
    score = Doubler()
    coalescer: Coalescer[int, int] = Coalescer(score, max_items=64, turns=turns)

    async def run() -> list[int]:
        first = asyncio.ensure_future(coalescer(1))
        await asyncio.sleep(0)  # the first request is now waiting; the second is read one turn later
        second = asyncio.ensure_future(coalescer(2))
        return list(await asyncio.gather(first, second))

    assert asyncio.run(run()) == [2, 4]
    assert score.calls == groups


def test_turns_below_one_are_refused() -> None:
    with pytest.raises(ValueError, match="turns must be at least 1"):
        Coalescer(Doubler(), max_items=64, turns=0)
