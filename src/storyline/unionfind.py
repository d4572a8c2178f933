"""Disjoint sets: the one union-find that the grouping code shares (copies of a wire story sharing a
paragraph, the same quote across articles, aligned passages, reuse components)."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Union-find over hashable, mutually comparable items, with path halving. A union keeps the
    smaller root, so every set's root is its smallest member and results do not depend on the order
    of the unions."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {x: x for x in items}

    def __contains__(self, x: object) -> bool:
        return x in self.parent

    def find(self, x: T) -> T:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # type: ignore[type-var]
