"""Process-level helpers shared by the loader and the writers."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager


@contextmanager
def paused_gc(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector for a burst of allocations.

    Loading content and writing outputs create hundreds of thousands of small objects
    and almost no cyclic garbage; the collector's passes over them are wasted work.
    Reference counting still frees everything as usual.

    With ``freeze``, everything the process holds afterwards is moved to the collector's
    permanent generation (:func:`gc.freeze`), so that its first pass, and every full one
    later, skips it: right for a one-shot build, whose catalog lives as long as the
    process. Never in a
    long-running process such as ``mkdocs serve``: the cyclic garbage of its previous
    builds would be frozen, too, and never freed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def same_objects(previous: Sequence[object], current: Sequence[object]) -> bool:
    """Whether two sequences hold the very same objects, in order.

    The writers' memos for ``mkdocs serve`` compare by identity: the content loader
    returns the same objects for files that did not change, and so do the memos.
    """
    return len(previous) == len(current) and all(
        a is b for a, b in zip(previous, current, strict=True)
    )
