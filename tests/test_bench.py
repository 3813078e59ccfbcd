"""The benchmark's own measuring: what it reports must be what happened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from oss_portal import bench

MIB = 1024

#: A process that forks a child which touches 150 MiB and then waits a moment: the parent
#: itself stays small, as the portal's build does while its children work.
_FORKING = """
import os, time
pid = os.fork()
if pid == 0:
    block = bytearray(150 * 2**20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    time.sleep(1.5)
    os._exit(0)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_peak_memory_counts_forked_children() -> None:
    process = subprocess.Popen([sys.executable, "-c", _FORKING])
    sampler = bench._TreeMemory(process.pid)
    assert process.wait(timeout=60) == 0
    peak_kib = sampler.stop()
    assert peak_kib > 140 * MIB, f"the child's 150 MiB were not seen ({peak_kib} KiB)"


def test_process_tree_finds_children_and_grandchildren() -> None:
    script = (
        "import subprocess, sys; subprocess.run([sys.executable, '-c', "
        "'import time; time.sleep(3)'])"
    )
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        tree: list[int] = []
        for _ in range(100):
            tree = bench._process_tree(process.pid)
            if len(tree) >= 2:
                break
            subprocess.run(["sleep", "0.05"], check=True)
        assert tree[0] == process.pid and len(tree) == 2
    finally:
        process.kill()
        process.wait()


def test_built_sites_are_kept_until_the_end(tmp_path: Path) -> None:
    """Deleting a site right before the next build slows that build on ext4 without a
    journal; the benchmark deletes its builds only when it is done."""
    leftovers = bench.Leftovers(min_free=0)
    sites = [tmp_path / f"site-{n}" for n in range(3)]
    for site in sites:
        (site / "news").mkdir(parents=True)
        (site / "news" / "index.html").write_text("<html></html>", encoding="utf-8")
        leftovers.keep(site)
        assert all(kept.is_dir() for kept in sites[: sites.index(site) + 1])
    leftovers.remove()
    assert not any(site.exists() for site in sites)
    assert leftovers.early_removals == 0


def test_kept_sites_are_deleted_early_when_space_runs_short(tmp_path: Path) -> None:
    leftovers = bench.Leftovers(min_free=2**62)  # more than any disk has free
    site = tmp_path / "site"
    site.mkdir()
    leftovers.keep(site)
    assert not site.exists() and leftovers.early_removals == 1
