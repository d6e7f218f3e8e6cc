"""Fitted scikit-learn trees evaluated by one compiled loop (numba): the same numbers as ``predict``, faster.

Why (``bench/serve.py`` and ``bench/score.py``): scikit-learn's tree code does Python-level
work per tree per call, so one film through a 100-tree forest was mostly that overhead
while the walk itself is a few comparisons; and on a batch each row's walk down a tree is a
chain of branches the CPU mispredicts about half the time. Here the trees are flat arrays
read only through the public ``tree_`` attributes, and walks that do not depend on each
other move down one level at a time (leaves point to themselves), so the CPU overlaps
them: a block of rows through each tree for a batch, all trees at once for one film. A
smoothed answer's rows (a film's neighbours, alike but for budget and month) walk each tree
as a group, comparing once where the group agrees.

The numbers are scikit-learn's to the bit: the comparison is the same (float32 input
against the float64 threshold, ``<=`` goes left) and each row adds its trees' values in
the order scikit-learn adds them, ``out += scale * value``. ``tests/modeling/test_tree_kernels.py``
checks it on every row against the models' own ``predict``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

BLOCK = 256  # rows moved down a tree together: their steps are independent, so the CPU overlaps them
FEW = 16  # below this many rows, each row moves down all trees together instead (a lone row has nothing to overlap)


@dataclass(frozen=True)
class FlatTrees:
    """Trees as flat arrays; ``roots[t]`` is tree t's first node, ``depths[t]`` its depth."""

    roots: np.ndarray
    depths: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray  # +inf at leaves: every row goes "left", to the leaf itself
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    @classmethod
    def of(cls, trees: Sequence[Any]) -> FlatTrees:
        """From fitted single-output regression trees (``estimator.tree_`` of each)."""
        sizes = [tree.node_count for tree in trees]
        roots = np.concatenate([[0], np.cumsum(sizes[:-1])]).astype(np.int64)
        leaf = np.concatenate([tree.children_left < 0 for tree in trees])
        own = np.arange(len(leaf), dtype=np.int64)

        def children(side: str) -> np.ndarray:
            index = np.concatenate([getattr(tree, side) + root for tree, root in zip(trees, roots, strict=True)])
            return np.where(leaf, own, index).astype(np.int32)

        return cls(
            roots=roots,
            depths=np.array([tree.max_depth for tree in trees], dtype=np.int64),
            feature=np.where(leaf, 0, np.concatenate([tree.feature for tree in trees])).astype(np.int32),
            threshold=np.where(leaf, np.inf, np.concatenate([tree.threshold for tree in trees])),
            left=children("children_left"),
            right=children("children_right"),
            value=np.concatenate([tree.value[:, 0, 0] for tree in trees]).astype(np.float64),
        )

    def add_to(self, X: np.ndarray, out: np.ndarray, scale: float = 1.0, group: int = 1) -> np.ndarray:
        """``out[i] += scale * (tree's value for row i)`` for every tree in order; returns ``out``.

        ``group``: X's rows come in groups of that many consecutive rows that differ in few
        columns (a film's neighbourhood, ``boxoffice.modeling.smoothing``). A group then walks
        each tree together and splits only where a node's feature differs within it: the same
        numbers, with far fewer comparisons for a smoothed answer.
        """
        rows = np.ascontiguousarray(X, dtype=np.float32)  # what scikit-learn's trees compare
        if group > 1 and len(rows) % group == 0:
            _add_trees_grouped(
                rows, group, self.roots, self.feature, self.threshold, self.left, self.right, self.value, scale, out
            )
            return out
        _add_trees(
            rows, self.roots, self.depths, self.feature, self.threshold, self.left, self.right, self.value, scale, out
        )
        return out

    def credit_paths(self, X: np.ndarray, weights: np.ndarray, n_features: int) -> np.ndarray:
        """Path attribution (Saabas): each split on row i's path through tree t adds
        ``weights[t] * (value[child] - value[node])`` to the split feature's column of row i.

        The same credits as ``tree.decision_path`` times per-node credits, one compiled walk
        instead of a sparse product per tree (scipy's per-call cost, paid once per tree).
        """
        rows = np.ascontiguousarray(X, dtype=np.float32)
        out = np.zeros((len(rows), n_features))
        _credit_paths(
            rows, self.roots, self.depths, self.feature, self.threshold, self.left, self.right, self.value,
            np.asarray(weights, dtype=np.float64), out,
        )  # fmt: skip
        return out


@njit(cache=True, nogil=True, boundscheck=False)
def _credit_paths(
    X: np.ndarray,
    roots: np.ndarray,
    depths: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    value: np.ndarray,
    weights: np.ndarray,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled; tests call it through FlatTrees.credit_paths
    for i in range(X.shape[0]):
        for t in range(roots.shape[0]):
            node = roots[t]
            for _ in range(depths[t]):
                k = node
                node = left[k] if X[i, feature[k]] <= threshold[k] else right[k]
                if node != k:
                    out[i, feature[k]] += weights[t] * (value[node] - value[k])


@njit(cache=True, nogil=True, boundscheck=False)
def _add_trees(
    X: np.ndarray,
    roots: np.ndarray,
    depths: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    value: np.ndarray,
    scale: float,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled; tests call it through FlatTrees.add_to
    if X.shape[0] < FEW:  # a request's few rows: the trees are the independent walks
        deepest = depths.max() if depths.shape[0] else 0
        node = np.empty(roots.shape[0], dtype=np.int32)
        for i in range(X.shape[0]):
            node[:] = roots
            for _ in range(deepest):
                for t in range(roots.shape[0]):
                    k = node[t]
                    node[t] = left[k] if X[i, feature[k]] <= threshold[k] else right[k]
            total = out[i]
            for t in range(roots.shape[0]):
                total += scale * value[node[t]]
            out[i] = total
        return
    node = np.empty(BLOCK, dtype=np.int32)  # many rows: a block of rows walks each tree together
    for start in range(0, X.shape[0], BLOCK):
        size = min(BLOCK, X.shape[0] - start)
        for t in range(roots.shape[0]):
            node[:size] = roots[t]
            for _ in range(depths[t]):
                for i in range(size):
                    k = node[i]
                    node[i] = left[k] if X[start + i, feature[k]] <= threshold[k] else right[k]
            for i in range(size):
                out[start + i] += scale * value[node[i]]


@njit(cache=True, nogil=True, boundscheck=False)
def _add_trees_grouped(
    X: np.ndarray,
    size: int,
    roots: np.ndarray,
    feature: np.ndarray,
    threshold: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    value: np.ndarray,
    scale: float,
    out: np.ndarray,
) -> None:  # pragma: no cover - compiled; tests call it through FlatTrees.add_to
    """``_add_trees`` for groups of ``size`` consecutive rows, each group walking a tree together.

    A node whose feature is the same for every row of the group sends them all one way (one
    comparison); elsewhere the rows at the node are partitioned, and each part walks on (a
    stack of parts). Each row still adds its trees' values in tree order, as ``_add_trees`` does.
    """
    varies = np.empty(X.shape[1], dtype=np.bool_)
    rows = np.empty(size, dtype=np.int64)
    stack = np.empty((size + 1, 3), dtype=np.int64)  # (node, first, end) of parts still to walk
    for g in range(0, X.shape[0], size):
        for f in range(X.shape[1]):
            varies[f] = False
            for j in range(1, size):
                if X[g + j, f] != X[g, f]:  # NaN differs from itself: such a column is walked row by row
                    varies[f] = True
                    break
        for t in range(roots.shape[0]):
            for j in range(size):
                rows[j] = g + j
            stack[0, 0], stack[0, 1], stack[0, 2] = roots[t], 0, size
            top = 1
            while top > 0:
                top -= 1
                k, first, end = stack[top, 0], stack[top, 1], stack[top, 2]
                while left[k] != k:  # leaves point to themselves
                    f = feature[k]
                    if not varies[f]:
                        k = left[k] if X[rows[first], f] <= threshold[k] else right[k]
                        continue
                    middle = first  # rows[first:middle] go left
                    for j in range(first, end):
                        r = rows[j]
                        if X[r, f] <= threshold[k]:
                            rows[j] = rows[middle]
                            rows[middle] = r
                            middle += 1
                    if middle == first:
                        k = right[k]
                    elif middle == end:
                        k = left[k]
                    else:
                        stack[top, 0], stack[top, 1], stack[top, 2] = right[k], middle, end
                        top += 1
                        k, end = left[k], middle
                for j in range(first, end):
                    out[rows[j]] += scale * value[k]
