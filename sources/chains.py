"""Chains of links between rows: a source's `same_as` and `member_of`, a report's derivations.

Pure Python (no Django): the models refuse a link that would close a cycle,
and `claims.corroboration` follows the chains to a canonical speaker, a party
and a report's ancestors.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping

Parent = Callable[[int], int | None] | Mapping[int, int | None]


def follow(start: int, parent: Parent) -> tuple[list[int], int | None]:
    """Walk parents from `start`: the path walked and the index it loops back to (None when it ends)."""
    step = parent.get if isinstance(parent, Mapping) else parent
    path, seen = [start], {start: 0}
    while (node := step(path[-1])) is not None:
        if node in seen:
            return path, seen[node]
        seen[node] = len(path)
        path.append(node)
    return path, None


def chain_cycle(start: int, parent: Parent) -> list[int] | None:
    """The cycle reached by following single parents from `start`, closed ([a, b, a]), or None."""
    path, loop = follow(start, parent)
    return None if loop is None else [*path[loop:], path[loop]]


def closes_cycle(edges: Mapping[int, Iterable[int]], frm: int, to: int) -> list[int] | None:
    """Whether adding `frm` derives from `to` closes a cycle: the chain [frm, to, ..., frm], or None."""
    came_from: dict[int, int | None] = {to: None}
    queue = deque([to])
    while queue:
        node = queue.popleft()
        if node == frm:
            path = []
            while node is not None:
                path.append(node)
                node = came_from[node]
            return [frm, *reversed(path)]
        for upstream in edges.get(node, ()):
            if upstream not in came_from:
                came_from[upstream] = node
                queue.append(upstream)
    return None
