"""The benchmark's own measuring: what it reports must be what happened."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from oss_portal.core.catalog import Catalog

from devtools import bench

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


#: A process that forks a child and waits for it; both burn CPU (about 1.5 s together).
_FORKING_BURNER = """
import os, time
def burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
pid = os.fork()
if pid == 0:
    burn(1.0)
    os._exit(0)
burn(0.5)
os.waitpid(pid, 0)
"""


class ChildrenClock:
    """Injected machine readings: the CPU time of this test process's reaped children
    (``RUSAGE_CHILDREN``, which grows by a child's time and that of the children it
    waited for, once it is reaped), plus ``extra`` seconds of other work from the second
    reading on. Nothing else on the machine enters, so a busy machine cannot fail the
    tests, and the benchmark's accounting is what they check."""

    def __init__(self, extra: float = 0.0, steal: float = 0.0) -> None:
        self.extra, self.steal = extra, steal
        self.readings = 0

    def __call__(self) -> tuple[float, float]:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        later = self.readings > 0
        self.readings += 1
        busy = usage.ru_utime + usage.ru_stime + (self.extra if later else 0.0)
        return busy, self.steal if later else 0.0


def test_a_builds_forked_children_are_its_own_work() -> None:
    """The benchmark's measure of disturbance must not count the portal's own forked
    renderer and writer as other work on the machine: the forked child's second of CPU
    is the build's own. Counting only the parent's time leaves 1 s of 'other work'."""
    measured = bench.run_measured(
        [sys.executable, "-c", _FORKING_BURNER], machine_cpu=ChildrenClock()
    )
    assert measured.returncode == 0 and measured.foreign_cpu_s is not None
    assert measured.foreign_cpu_s < 0.2, f"own child counted as foreign: {measured}"


def test_other_work_during_a_build_is_seen() -> None:
    """Busy time beyond the build's own is other work, and steal is reported apart."""
    clock = ChildrenClock(extra=3.0, steal=0.5)
    measured = bench.run_measured([sys.executable, "-c", _FORKING_BURNER], machine_cpu=clock)
    assert clock.readings == 2
    assert measured.foreign_cpu_s == pytest.approx(3.0, abs=0.2), measured
    assert measured.steal_s == pytest.approx(0.5)


def test_without_machine_counters_no_disturbance_is_claimed() -> None:
    """Off Linux (no ``/proc/stat``) the report says nothing rather than zero."""
    measured = bench.run_measured([sys.executable, "-c", "pass"], machine_cpu=lambda: None)
    assert measured.returncode == 0
    assert (measured.foreign_cpu_s, measured.steal_s) == (None, None)


def _result(size: int, rounds: list[float | None]) -> bench.SizeResult:
    done = [x for x in rounds if x is not None]
    return bench.SizeResult(
        size=size,
        counts={},
        validation_s=1.0,
        writers_s=1.0,
        writers_detail_s={},
        portal_s=bench._median(done),
        floor_s=None,
        peak_mb_portal=None,
        peak_mb_floor=None,
        portal_by_round=rounds,
    )


def test_growth_is_paired_within_each_round() -> None:
    """Each round's pair counts, not the medians of each size on their own (1.67 here, as
    the machine's pace changed between rounds); a failed build leaves its round out."""
    small = _result(5000, [20.0, 28.0, 28.0, 20.0])
    large = _result(10000, [40.0, 56.0, None, 40.0])
    assert large.portal_s is not None and small.portal_s is not None
    assert large.portal_s / small.portal_s == pytest.approx(1.67, abs=0.01)
    assert bench.growth_between(small, large) == pytest.approx(2.0)
    growth = [t for t in bench.evaluate([small, large]) if t.name.startswith("Wachstum")]
    assert [(t.measured, t.verdict) for t in growth] == [("2.00", "PASS")]
    assert bench.growth_between(small, _result(10000, [None, None])) is None


def test_the_writers_measured_are_the_portals(catalog: Catalog) -> None:
    """Feeds, calendars and exports are measured with the portal's own writers; each
    makes output (a writer that cannot be found must not turn into a silent 'n/a')."""
    jobs = bench.writers("https://example.org/", "Portal")
    assert set(jobs) == {"feeds", "calendars", "exports"}
    for name, job in jobs.items():
        assert isinstance(job(catalog), int) and job(catalog) > 0, name
