"""Run a function in a forked child process while this one goes on.

A build of the portal is one Python process, and MkDocs renders on one core; CI machines
have two. Work that needs only what the process already holds (the catalog, the prepared
pages) is handed to a forked child: it inherits everything by copy-on-write, so nothing is
pickled on the way in, and only its result travels back through a pipe.

Forking is used only where it is safe: on Linux (macOS has ``fork``, but its system
libraries are not fork-safe, which is why Python starts processes there by spawning),
with a second core, and from a process that runs a single thread (forking a threaded
process can deadlock the child on a lock another thread held). :class:`ForkedCall`
itself starts no thread.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a forked child would run in parallel, and safely."""
    return (
        sys.platform == "linux"
        and "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) >= 2
        and threading.active_count() == 1
    )


class ForkedCallError(RuntimeError):
    """The function failed in the child (the message holds its traceback) or the child
    ended without a result."""


class ForkedCall(Generic[T]):
    """``function()`` running in a forked child; :meth:`result` waits for its value.

    The value must be picklable. An exception in the child comes back as
    :class:`ForkedCallError` with the child's traceback.
    """

    def __init__(self, function: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        self._receiver: Connection | None = receiver
        # With "fork" the target is inherited, not pickled: closures are fine.
        self._process = context.Process(target=_run, args=(function, sender), daemon=True)
        self._process.start()
        sender.close()  # the child holds its end; EOF here means the child is gone

    def result(self) -> T:
        """The child's return value (waits for it)."""
        if self._receiver is None:
            raise ForkedCallError("the result was already taken or the call was cancelled")
        try:
            ok, value = self._receiver.recv()
        except EOFError:
            self._process.join()
            raise ForkedCallError(
                f"the child process ended without a result (exit code {self._process.exitcode})"
            ) from None
        finally:
            self._receiver.close()
            self._receiver = None
        self._process.join()
        if not ok:
            raise ForkedCallError(value)
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child if it still runs (e.g. because the build failed meanwhile)."""
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _run(function: Callable[[], object], sender: Connection) -> None:
    try:
        message: tuple[bool, object] = (True, function())
    except BaseException:  # everything goes back to the parent, which decides
        message = (False, traceback.format_exc())
    try:
        sender.send(message)
    except Exception:  # an unpicklable value: say so instead of dying silently
        sender.send((False, traceback.format_exc()))
    finally:
        sender.close()
