"""``scripts/bench``: measure validation, writers, the portal build and the floor.

For each size a synthetic project (:mod:`devtools.synthetic`) and its floor (plain MkDocs
+ Material, same number of equivalent pages) are generated once; then, in ``--runs``
rounds, each of which measures every size once (see :func:`measure_sizes`):

* validation only: ``ContentLoader.load`` in a fresh process, with a cold cache;
* writers alone: ``iter_feeds``, ``iter_calendars`` and ``iter_exports`` on a fresh
  catalog, cold, consumed as a build consumes them (each output made, handed on and
  dropped; nothing written to disk);
* the portal and the floor: ``python -m mkdocs build`` each in a fresh subprocess, timed
  from the outside (interpreter start included, as a user sees it). Peak memory is the
  larger of that process's own maximum resident set size (``os.wait4``) and the highest
  sum, sampled four times a second, of the proportional set sizes (PSS) of the process
  and its forked children: the portal renders half its pages and writes its feeds in
  forked children, whose memory counts, too, without counting what they share twice.
  Each build writes into a fresh folder, as in CI; built sites are deleted only at the
  end (see :class:`Leftovers`).

Medians are printed as a table with the performance targets (README, "Leistung"),
followed by how steady the machine was (:func:`disturbance_report`). ``--serve`` instead
measures how long ``mkdocs serve`` takes to show an edited event in a 1,000-item site.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import multiprocessing
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from oss_portal.core import urls
from oss_portal.core.catalog import Catalog
from oss_portal.core.loading import ContentLoader, ContentPaths
from oss_portal.core.models import BERLIN
from oss_portal.outputs import calendar, exports, feeds
from oss_portal.outputs.feeds import DEFAULT_LIMIT
from yaml.nodes import MappingNode, ScalarNode

from devtools import synthetic

#: The build date every benchmark build uses, so that upcoming/past is reproducible.
BUILD_DATE = datetime.combine(synthetic.REFERENCE_DATE, datetime.min.time(), BERLIN)
FEED_LIMIT = DEFAULT_LIMIT  # the plugin's default ``feed_limit``
#: Silences Material's banner about MkDocs 2 in every build log.
QUIET = {"NO_MKDOCS_2_WARNING": "1"}

# The performance targets (README, "Leistung").
TARGET_SIZE = 10_000
MAX_RATIO = 1.15
MAX_BUILD_S = 60.0
MAX_PEAK_MB = 1024.0
GROWTH_SLACK = 1.1  # 10k/5k <= 2.2 = 1.1 x the size ratio
MAX_VALIDATION_S = 5.0
MAX_WRITERS_S = 2.0
MAX_SERVE_S = 2.0
#: Share of the CPU time during a build taken by other work (or the hypervisor) above
#: which the report warns that the figures are disturbed.
MAX_FOREIGN_SHARE = 0.10
#: Spread (slowest/fastest) of :func:`pace` above which the report warns, too.
MAX_PACE_SPREAD = 1.25
#: How long to wait for an edit to show before calling it missing (a full rebuild of a
#: large site on a busy machine can take minutes).
SERVE_TIMEOUT_S = 300.0


@dataclass
class BuildRun:
    """One ``mkdocs build`` in its own process."""

    seconds: float
    peak_mb: float
    ok: bool
    log_tail: str = ""
    #: The portal's forked writer: its own time and how long the build waited for it.
    writers_in_build_s: float | None = None
    writers_wait_s: float | None = None
    #: The portal's forked page renderer: its pages, time, and the build's wait for it.
    shared_pages: int | None = None
    shared_pages_s: float | None = None
    shared_pages_wait_s: float | None = None
    #: CPU seconds the machine spent on other work during the build (see
    #: :func:`_machine_cpu`), and CPU seconds the hypervisor gave to other guests.
    foreign_cpu_s: float | None = None
    steal_s: float | None = None


@dataclass
class SizeResult:
    """Medians for one size (``None``: not measured or failed)."""

    size: int
    counts: dict[str, int]
    validation_s: float
    writers_s: float | None
    writers_detail_s: dict[str, float | None]
    portal_s: float | None
    floor_s: float | None
    peak_mb_portal: float | None
    peak_mb_floor: float | None
    #: Median of portal/floor over the runs; each run builds both back to back, so a
    #: busy machine slows both alike.
    ratio: float | None = None
    writers_in_build_s: float | None = None
    writers_wait_s: float | None = None
    shared_pages: int | None = None
    shared_pages_s: float | None = None
    shared_pages_wait_s: float | None = None
    portal_error: str = ""
    floor_error: str = ""
    #: The portal build of each round, in order (``None``: failed); see :func:`evaluate`.
    portal_by_round: list[float | None] = field(default_factory=list)
    raw: dict[str, list[float]] = field(default_factory=dict)

    @property
    def ms_per_item(self) -> float | None:
        """Portal build milliseconds per content item."""
        return None if self.portal_s is None else self.portal_s * 1000 / self.size


@dataclass
class Target:
    """One performance target, checked against a measured figure."""

    name: str
    measured: str
    verdict: str  # PASS, FAIL or n/a


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Measured:
    """A process run by :func:`run_measured`."""

    seconds: float
    peak_mb: float
    returncode: int
    output: str
    #: CPU seconds the machine spent on other work meanwhile (see :func:`_machine_cpu`),
    #: and those the hypervisor gave to other guests; ``None`` off Linux.
    foreign_cpu_s: float | None
    steal_s: float | None


#: Reads the machine's busy and stolen CPU seconds (see :func:`_machine_cpu`).
MachineReader = Callable[[], tuple[float, float] | None]


def run_measured(
    command: list[str],
    env: dict[str, str] | None = None,
    machine_cpu: MachineReader | None = None,
) -> Measured:
    """Run ``command``: its wall time, peak memory (with its forked children), output,
    and how much other work the machine did meanwhile.

    ``machine_cpu`` reads the machine-wide counters (``/proc/stat`` by default); tests
    pass readings of their own, so that they check the accounting, not the machine.
    """
    machine_cpu = machine_cpu or _machine_cpu
    with tempfile.TemporaryFile() as log:
        machine_before = machine_cpu()
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **QUIET, **(env or {})},
        )
        sampler = _TreeMemory(process.pid)
        # os.wait4 returns the resource usage of exactly this child (ru_maxrss in KiB on
        # Linux), unlike getrusage(RUSAGE_CHILDREN), which is the maximum over all children.
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        machine_after = machine_cpu()
        tree_kib = sampler.stop()
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    foreign = steal = None
    if machine_before is not None and machine_after is not None:
        # The process's own CPU time includes that of the children it waited for (the
        # portal's forked renderer and writer).
        own = usage.ru_utime + usage.ru_stime
        foreign = max(0.0, machine_after[0] - machine_before[0] - own)
        steal = machine_after[1] - machine_before[1]
    return Measured(
        seconds,
        max(usage.ru_maxrss, tree_kib) / 1024,
        os.waitstatus_to_exitcode(status),
        output,
        foreign,
        steal,
    )


def run_build(config: Path, site_dir: Path, env: dict[str, str] | None = None) -> BuildRun:
    """``python -m mkdocs build`` in a fresh process, measured by :func:`run_measured`.

    The log (a few INFO lines, not one per page) is read for the portal's report on its
    forked writer of feeds, calendars and exports, and on its forked page renderer.
    """
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    measured = run_measured(command, env)
    text = measured.output
    run = BuildRun(measured.seconds, measured.peak_mb, measured.returncode == 0, text[-2000:])
    run.foreign_cpu_s, run.steal_s = measured.foreign_cpu_s, measured.steal_s
    match = _WRITER_REPORT.search(text)
    if match:
        run.writers_in_build_s, run.writers_wait_s = float(match[1]), float(match[2])
    match = _PAGES_REPORT.search(text)
    if match:
        run.shared_pages = int(match[1])
        run.shared_pages_s, run.shared_pages_wait_s = float(match[2]), float(match[3])
    return run


def _machine_cpu() -> tuple[float, float] | None:
    """CPU seconds the whole machine has been busy, and those stolen by the hypervisor
    (``/proc/stat``; ``None`` elsewhere than on Linux).

    During a build, busy time beyond the build's own (``os.wait4``) is other work on the
    machine: the honest measure of how disturbed a timing is. The load average is not, as
    the benchmark's own builds run back to back and keep it high."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    # user nice system idle iowait irq softirq steal (guest time is counted in user)
    busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6]
    steal = fields[7] if len(fields) > 7 else 0
    return busy / tick, steal / tick


#: The plugin's log line about its forked page renderer (see ``parallel_pages``).
_PAGES_REPORT = re.compile(
    r"([0-9]+) Seiten in ([0-9.]+) s in einem zweiten Prozess gerendert "
    r"\(Wartezeit des Builds: ([0-9.]+) s\)"
)


class _TreeMemory:
    """Samples the summed PSS of a process and its descendants in a thread (Linux)."""

    INTERVAL_S = 0.25

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> int:
        """Stop sampling; the highest sum seen, in KiB (0 where /proc is missing)."""
        self._stop.set()
        self._thread.join()
        return self.peak_kib

    def _run(self) -> None:
        while not self._stop.wait(self.INTERVAL_S):
            self.peak_kib = max(self.peak_kib, sum(map(_pss_kib, _process_tree(self.pid))))


def _process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc (empty without it)."""
    parents: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError, IndexError):
                    stat = Path(entry.path, "stat").read_text()
                    ppid = int(stat.rsplit(")", 1)[1].split()[1])
                    parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def _pss_kib(pid: int) -> int:
    """Proportional set size of a process in KiB (0 if it is gone)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


#: The plugin's log line about its forked writer (see ``PortalPlugin.on_post_build``).
_WRITER_REPORT = re.compile(
    r"Exporte in ([0-9.]+) s geschrieben, parallel zu den Seiten "
    r"\(Wartezeit des Builds: ([0-9.]+) s\)"
)


def time_validation(project: Path) -> float:
    """Seconds for one cold ``ContentLoader.load`` (raises if the content has errors)."""
    loader = ContentLoader(ContentPaths(project))
    start = time.perf_counter()
    _catalog, errors = loader.load(BUILD_DATE, freeze=True)  # as `mkdocs build` loads
    seconds = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"synthetic content has {len(errors)} errors, first: {errors[0]}")
    return seconds


Writer = Callable[[Catalog], object]


def writers(site_url: str, site_name: str) -> dict[str, Writer]:
    """The feed, calendar and export writers, each called as a build calls it."""
    return {
        "feeds": functools.partial(
            _call,
            feeds.iter_feeds,
            (site_url, site_name),
            {"limit": FEED_LIMIT, "remember": False},
        ),
        "calendars": functools.partial(
            _call, calendar.iter_calendars, (site_url, site_name), {"remember": False}
        ),
        "exports": functools.partial(_call, exports.iter_exports, (site_url,), {}),
    }


def time_in_process(project: str, site_url: str, site_name: str) -> dict[str, float]:
    """Validation, then each writer on the catalog (run in a fresh process by
    :meth:`SizeBench.run`)."""
    timings = {"validation": time_validation(Path(project))}
    catalog, _errors = ContentLoader(ContentPaths(Path(project))).load(BUILD_DATE, freeze=True)
    _clear_render_cache()
    jobs = writers(site_url, site_name)
    for name, job in jobs.items():
        start = time.perf_counter()
        job(catalog)
        timings[name] = time.perf_counter() - start
    timings["writers"] = sum(timings[name] for name in jobs)
    return timings


def _clear_render_cache() -> None:
    """Start each writers run cold, as in a fresh build process."""
    from oss_portal.outputs.publishing import clear_caches

    clear_caches()


def _call(
    writer: Callable[..., Iterable[tuple[str, bytes]]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    catalog: Catalog,
) -> int:
    """Run one writer as a build does (every output made, handed on, dropped); returns
    the bytes made."""
    return sum(len(data) for _path, data in writer(catalog, *args, **kwargs))


def _site_info(config: Path) -> tuple[str, str]:
    """``site_url`` and ``site_name`` of a ``mkdocs.yml`` (without constructing tags)."""
    root = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    values = {
        k.value: v.value
        for k, v in (root.value if isinstance(root, MappingNode) else [])
        if isinstance(k, ScalarNode) and isinstance(v, ScalarNode)
    }
    return str(values.get("site_url") or "https://example.org/"), str(
        values.get("site_name") or "Portal"
    )


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


class Leftovers:
    """Built sites, deleted only when the benchmark ends (the generated projects go with
    the work folder, also at the end).

    Deleting thousands of files can slow down creating new ones for minutes: ext4 without
    a journal (the file system of the machine the README's figures come from) does not
    reuse an inode freed in the last 60 to 300 seconds and tests each such inode again on
    every file it creates, so a build right after the deletion of another site pays for
    it, more than linearly in the number of files. A build in CI writes into a fresh clone
    and deletes nothing; so that no timed build pays for an earlier one, nothing is
    deleted until the measuring is over. Only when the file system runs short of space
    (:data:`MIN_FREE_BYTES`) are the kept folders deleted at once, and the report says so.
    """

    def __init__(self, min_free: int = 0) -> None:
        self.min_free = min_free
        self.paths: list[Path] = []
        #: How often space ran short and the kept folders were deleted between builds.
        self.early_removals = 0

    def keep(self, path: Path) -> None:
        self.paths.append(path)
        if shutil.disk_usage(path.parent).free < self.min_free:
            self.remove()
            self.early_removals += 1

    def remove(self) -> None:
        for path in self.paths:
            shutil.rmtree(path, ignore_errors=True)
        self.paths = []


#: Free space left on the benchmark's file system before kept builds are deleted early.
MIN_FREE_BYTES = 2 * 1024**3


class SizeBench:
    """One size's generated projects and what its runs measured so far."""

    def __init__(self, size: int, seed: int, source: Path, work: Path) -> None:
        self.size = size
        self.work = work
        self.portal, self.floor = work / f"portal-{size}", work / f"floor-{size}"
        self.counts = synthetic.write_portal_project(self.portal, size, seed, source=source)
        self.floor_config = synthetic.write_floor_project(
            self.floor, size, seed, config=source / "mkdocs.yml"
        )
        self.site_url, self.site_name = _site_info(self.portal / "mkdocs.yml")
        self.jobs = writers(self.site_url, self.site_name)
        self.raw: dict[str, list[float]] = {
            k: []
            for k in (
                "validation",
                "writers",
                *self.jobs,
                "portal",
                "floor",
                "ratio",
                "peak_portal",
                "peak_floor",
                "pace",
                "foreign",
                "steal",
                "in_build",
                "wait",
                "shared_pages",
                "shared_s",
                "shared_wait",
            )
        }
        #: The portal build of each round (``None``: failed), for growth between sizes.
        self.portal_by_round: list[float | None] = []
        self.errors = {"portal": "", "floor": ""}

    def run(self, run: int, runs: int, leftovers: Leftovers) -> None:
        """One run: validation and writers in a fresh process, then portal and floor."""
        print(f"  Größe {self.size}: Lauf {run + 1}/{runs} …", file=sys.stderr, flush=True)
        raw = self.raw
        # In a fresh process: cold like a build, and this process stays small. A child's
        # peak memory (ru_maxrss) includes the parent's image it was started from, so a
        # benchmark process holding 10,000 parsed entries would inflate every build's peak.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            timings = pool.submit(
                time_in_process, str(self.portal), self.site_url, self.site_name
            ).result()
        for name, seconds in timings.items():
            raw[name].append(seconds)
        env = {"OSS_PORTAL_BUILD_DATE": BUILD_DATE.isoformat()}
        built: dict[str, float] = {}
        for kind, config in (("portal", self.portal / "mkdocs.yml"), ("floor", self.floor_config)):
            raw["pace"].append(pace())
            site = self.work / f"site-{kind}-{self.size}-{run + 1}"
            result = run_build(config, site, env)
            leftovers.keep(site)
            if result.foreign_cpu_s is not None and result.steal_s is not None:
                capacity = result.seconds * (os.cpu_count() or 1)
                raw["foreign"].append(result.foreign_cpu_s / capacity)
                raw["steal"].append(result.steal_s / capacity)
            if result.ok:
                built[kind] = result.seconds
                raw[kind].append(result.seconds)
                raw[f"peak_{kind}"].append(result.peak_mb)
                if result.writers_in_build_s is not None and result.writers_wait_s is not None:
                    raw["in_build"].append(result.writers_in_build_s)
                    raw["wait"].append(result.writers_wait_s)
                if result.shared_pages is not None:
                    raw["shared_pages"].append(result.shared_pages)
                    raw["shared_s"].append(result.shared_pages_s or 0.0)
                    raw["shared_wait"].append(result.shared_pages_wait_s or 0.0)
            else:
                self.errors[kind] = result.log_tail
        self.portal_by_round.append(built.get("portal"))
        if len(built) == 2:
            raw["ratio"].append(built["portal"] / built["floor"])

    def result(self) -> SizeResult:
        raw = self.raw
        return SizeResult(
            size=self.size,
            counts=self.counts,
            validation_s=statistics.median(raw["validation"]),
            writers_s=_median(raw["writers"]),
            writers_detail_s={name: _median(raw[name]) for name in self.jobs},
            portal_s=_median(raw["portal"]),
            floor_s=_median(raw["floor"]),
            peak_mb_portal=max(raw["peak_portal"], default=None),
            peak_mb_floor=max(raw["peak_floor"], default=None),
            ratio=_median(raw["ratio"]),
            writers_in_build_s=_median(raw["in_build"]),
            writers_wait_s=_median(raw["wait"]),
            shared_pages=int(max(raw["shared_pages"])) if raw["shared_pages"] else None,
            shared_pages_s=_median(raw["shared_s"]),
            shared_pages_wait_s=_median(raw["shared_wait"]),
            portal_error=self.errors["portal"],
            floor_error=self.errors["floor"],
            portal_by_round=self.portal_by_round,
            raw=raw,
        )


def measure_sizes(
    sizes: list[int], runs: int, seed: int, source: Path, work: Path, leftovers: Leftovers
) -> list[SizeResult]:
    """Generate every size's projects, then measure in rounds: each round runs every size
    once, smallest first in odd rounds and largest first in even ones.

    The speed of a shared machine drifts over minutes. Rounds spread that drift over all
    sizes alike, and the growth between two sizes is taken within each round (see
    :func:`evaluate`), as the ratio portal/floor is taken within each run. Every build
    writes into a folder of its own, kept in ``leftovers``."""
    benches = [SizeBench(size, seed, source, work) for size in sizes]
    for run in range(runs):
        # Every other round runs the sizes the other way round, so that a drift within a
        # round does not always favour the same size.
        for bench in benches if run % 2 == 0 else reversed(benches):
            bench.run(run, runs, leftovers)
    return [bench.result() for bench in benches]


def pace() -> float:
    """Seconds for a fixed piece of pure-Python work (median of three), taken before each
    build: how fast the machine is at that moment. On a shared machine the same work can
    take twice as long from one minute to the next, with no other process in sight."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        table: dict[str, int] = {}
        for i in range(150_000):
            key = f"k{i % 997}"
            table[key] = table.get(key, 0) + i * i
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- targets and report -------------------------------------------------------------------


def _fmt(value: float | None, pattern: str = "{:.2f}") -> str:
    return "n/a" if value is None else pattern.format(value)


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def growth_between(small: SizeResult, large: SizeResult) -> float | None:
    """Median over the rounds of large/small portal build time, each pair from one round
    (so built minutes, not a quarter of an hour, apart); ``None`` without a pair."""
    pairs = [
        b / a
        for a, b in zip(small.portal_by_round, large.portal_by_round, strict=False)
        if a is not None and b is not None
    ]
    return _median(pairs)


def evaluate(results: list[SizeResult]) -> list[Target]:
    """The performance targets against the measured figures.

    Targets stated for 10,000 items are judged only when that size was measured. The ratio
    to the floor and the peak memory are judged at every size (the worst one counts); the
    growth target (10k/5k <= 2.2) is read as "each doubling-or-more step costs at most 1.1x
    the size ratio" between consecutive measured sizes, paired within each round
    (:func:`growth_between`).
    """
    by_size = {r.size: r for r in results}
    big = by_size.get(TARGET_SIZE)
    targets: list[Target] = []

    ratios = [(r.size, r.ratio) for r in results]
    worst = max(((s, v) for s, v in ratios if v is not None), key=lambda x: x[1], default=None)
    targets.append(
        Target(
            f"Portal/Floor <= {MAX_RATIO} (jede Größe)",
            "n/a" if worst is None else f"{worst[1]:.2f} bei {worst[0]}",
            _verdict(
                None
                if worst is None or any(v is None for _s, v in ratios)
                else worst[1] <= MAX_RATIO
            ),
        )
    )
    targets.append(
        Target(
            f"Build {TARGET_SIZE} < {MAX_BUILD_S:.0f} s",
            _fmt(big.portal_s if big else None, "{:.1f} s"),
            _verdict(None if big is None or big.portal_s is None else big.portal_s < MAX_BUILD_S),
        )
    )
    peaks = [r.peak_mb_portal for r in results]
    targets.append(
        Target(
            f"Spitze Speicher < {MAX_PEAK_MB:.0f} MB (jede Größe)",
            _fmt(max((p for p in peaks if p is not None), default=None), "{:.0f} MB"),
            _verdict(
                None
                if any(p is None for p in peaks)
                else max(p for p in peaks if p is not None) < MAX_PEAK_MB
            ),
        )
    )
    steps = sorted(by_size)
    if len(steps) < 2:
        targets.append(
            Target(f"Wachstum linear ({TARGET_SIZE}/5000 <= 2.2)", "n/a (nur eine Größe)", "n/a")
        )
    for small, large in itertools.pairwise(steps):
        growth = growth_between(by_size[small], by_size[large])
        limit = GROWTH_SLACK * large / small
        targets.append(
            Target(
                f"Wachstum {large}/{small} <= {limit:.2f}",
                _fmt(growth),
                _verdict(None if growth is None else growth <= limit),
            )
        )
    targets.append(
        Target(
            f"Validierung {TARGET_SIZE} < {MAX_VALIDATION_S:.0f} s",
            _fmt(big.validation_s if big else None, "{:.2f} s"),
            _verdict(None if big is None else big.validation_s < MAX_VALIDATION_S),
        )
    )
    targets.append(
        Target(
            f"Feeds, Kalender, Exporte {TARGET_SIZE} < {MAX_WRITERS_S:.0f} s",
            _fmt(big.writers_s if big else None, "{:.2f} s"),
            _verdict(
                None if big is None or big.writers_s is None else big.writers_s < MAX_WRITERS_S
            ),
        )
    )
    return targets


def disturbance_report(results: list[SizeResult]) -> list[str]:
    """How steady the machine was: its pace before the builds, other work and the
    hypervisor's share during them, and a warning when the figures are disturbed."""
    paces = [x for r in results for x in r.raw["pace"]]
    foreign = [x for r in results for x in r.raw["foreign"]]
    steal = [x for r in results for x in r.raw["steal"]]
    lines = [""]
    disturbed = False
    if paces:
        spread = max(paces) / min(paces)
        disturbed |= spread > MAX_PACE_SPREAD
        lines.append(
            f"Tempo des Rechners (feste Rechenarbeit vor jedem Build): "
            f"{min(paces) * 1000:.0f}–{max(paces) * 1000:.0f} ms, Spanne {spread:.2f}x"
        )
    if foreign:
        disturbed |= max(foreign) + max(steal) > MAX_FOREIGN_SHARE
        lines.append(
            f"Andere Arbeit auf dem Rechner während der Builds: höchstens {max(foreign):.0%} "
            f"der CPU-Zeit; vom Hypervisor entzogen (steal): höchstens {max(steal):.0%}"
        )
    if disturbed:
        lines.append(
            "Achtung: der Rechner lief nicht gleichmäßig – die Zeiten streuen; die Verhältnisse "
            "(Portal/Floor je Lauf, Wachstum je Runde) sind gepaart und daher robuster."
        )
    return lines


def render_table(results: list[SizeResult], targets: list[Target]) -> str:
    """The results as a Markdown table (for the terminal and the README), then the targets."""
    header = (
        "| Größe | Validierung s | Feeds/Kalender/Exporte s | Portal-Build s | Floor-Build s "
        "| Portal/Floor | ms/Eintrag | Spitze MB Portal | Spitze MB Floor |"
    )
    lines = [header, "|" + "---:|" * 9]
    for r in results:
        lines.append(
            f"| {r.size} | {r.validation_s:.2f} | {_fmt(r.writers_s)} "
            f"| {_fmt(r.portal_s, '{:.1f}')} "
            f"| {_fmt(r.floor_s, '{:.1f}')} | {_fmt(r.ratio)} | {_fmt(r.ms_per_item, '{:.1f}')} "
            f"| {_fmt(r.peak_mb_portal, '{:.0f}')} | {_fmt(r.peak_mb_floor, '{:.0f}')} |"
        )
    for r in results:
        detail = ", ".join(f"{name} {_fmt(value)} s" for name, value in r.writers_detail_s.items())
        lines.append(
            f"\n{r.size} Einträge: {r.counts['communities']} Communities, "
            f"{r.counts['events']} Veranstaltungen, {r.counts['news']} Nachrichten; "
            f"Schreiber: {detail}"
        )
        if r.writers_in_build_s is not None:
            lines.append(
                f"Im Portal-Build schreibt sie ein zweiter Prozess parallel zu den Seiten: "
                f"{_fmt(r.writers_in_build_s)} s, Wartezeit des Builds "
                f"{_fmt(r.writers_wait_s)} s"
            )
        if r.shared_pages is not None:
            lines.append(
                f"{r.shared_pages} Seiten rendert ein weiterer Prozess parallel: "
                f"{_fmt(r.shared_pages_s)} s, Wartezeit des Builds "
                f"{_fmt(r.shared_pages_wait_s)} s"
            )
    lines += ["", "| Ziel | gemessen | Ergebnis |", "|---|---:|---|"]
    lines += [f"| {t.name} | {t.measured} | {t.verdict} |" for t in targets]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "date": date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
        "mkdocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
    }


# --- mkdocs serve -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(check: Callable[[], bool], timeout: float, step: float = 0.05) -> float | None:
    """Seconds until ``check()`` holds, or ``None`` after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if check():
            return time.perf_counter() - start
        time.sleep(step)
    return None


def _shows(url: str, marker: str) -> Callable[[], bool]:
    return lambda: marker in (_get(url) or "")


@contextlib.contextmanager
def _serving(config: Path, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **QUIET, "OSS_PORTAL_BUILD_DATE": BUILD_DATE.isoformat()},
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def measure_serve(size: int, runs: int, seed: int, source: Path, work: Path) -> dict[str, Any]:
    """Edit one event's title in a running ``mkdocs serve`` and time until it is served.

    ``page_s``: until the event's page shows the new title; ``complete_s``: until the
    search index, the events index and the calendars show it too and the news feed is
    still served (``None``: not within :data:`SERVE_TIMEOUT_S`).
    """
    project = work / f"serve-{size}"
    synthetic.write_portal_project(project, size, seed, source=source)
    catalog, _errors = ContentLoader(ContentPaths(project)).load(BUILD_DATE)
    event = next(e for e in catalog.upcoming_events if e.communities)
    site_url, _name = _site_info(project / "mkdocs.yml")
    port = _free_port()
    base = f"http://127.0.0.1:{port}{urlsplit(site_url).path or '/'}"
    # Everything that shows the event's title. The news feeds (rss.xml, atom.xml) list
    # articles, not events, so for them it is checked that they are still served.
    checked = {
        "Seite": urls.event(event.id),
        "Suchindex": "search/search_index.json",
        "Veranstaltungen": urls.EVENTS,
        "Kalender": urls.EVENTS_ICS,
        "Community-Kalender": urls.community_ics(event.communities[0]),
    }
    events_file = project / "data" / "events.yaml"
    log = work / f"serve-{size}.log"
    results: list[dict[str, Any]] = []
    with _serving(project / "mkdocs.yml", port, log) as process:
        print(f"  mkdocs serve ({size} Einträge) startet …", file=sys.stderr, flush=True)
        startup = _wait_for(lambda: process.poll() is not None or _get(base) is not None, 900, 0.5)
        if process.poll() is not None or startup is None:
            raise RuntimeError("mkdocs serve did not start:\n" + log.read_text()[-2000:])
        title = event.title
        for run in range(runs):
            time.sleep(1.0)  # let the watcher settle after the previous build
            marker = f"Bench{run}x{os.getpid()}"
            new_title = f"{event.title} {marker}"
            text = events_file.read_text(encoding="utf-8")
            old = f"- id: {event.id}\n  title: {json.dumps(title, ensure_ascii=False)}\n"
            new = f"- id: {event.id}\n  title: {json.dumps(new_title, ensure_ascii=False)}\n"
            if old not in text:
                raise RuntimeError(f"event {event.id} not found in {events_file}")
            start = time.perf_counter()
            events_file.write_text(text.replace(old, new), encoding="utf-8")
            title = new_title
            seen: dict[str, float | None] = {}
            for name, path in checked.items():  # the page first: it is what users look at
                left = SERVE_TIMEOUT_S - (time.perf_counter() - start)
                found = _wait_for(_shows(base + path, marker), max(left, 0.1))
                seen[name] = None if found is None else time.perf_counter() - start
            page = seen["Seite"]
            feed = _get(base + urls.RSS) or ""
            seen["RSS ausgeliefert"] = 0.0 if "<rss" in feed and "</rss>" in feed else None
            complete = (
                None
                if any(v is None for v in seen.values())
                else max(v for v in seen.values() if v is not None)
            )
            print(
                f"  Lauf {run + 1}: Seite {_fmt(page)} s, vollständig {_fmt(complete)} s "
                f"({', '.join(k for k, v in seen.items() if v is None) or 'alles aktuell'})",
                file=sys.stderr,
                flush=True,
            )
            results.append({"page_s": page, "complete_s": complete, "seen_s": seen})
    pages = [r["page_s"] for r in results if r["page_s"] is not None]
    completes = [r["complete_s"] for r in results if r["complete_s"] is not None]
    return {
        "size": size,
        "event": event.id,
        "startup_s": startup,
        "runs": results,
        "page_s": _median(pages) if len(pages) == len(results) else None,
        "complete_s": _median(completes) if len(completes) == len(results) else None,
        "missing": sorted({k for r in results for k, v in r["seen_s"].items() if v is None}),
    }


# --- command ------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' ist keine Liste von Zahlen") from None
    if not sizes or sizes[0] < 10:
        raise argparse.ArgumentTypeError("Größen ab 10 Einträgen, z. B. 1000,5000")
    return sizes


def _run(args: argparse.Namespace) -> int:
    source = Path(args.project_dir).resolve()
    if not (source / "mkdocs.yml").is_file():
        print(f"{source}: mkdocs.yml fehlt – bitte im Projektordner starten", file=sys.stderr)
        return 2
    work = (
        Path(args.work_dir).resolve()
        if args.work_dir
        else Path(tempfile.mkdtemp(prefix="oss-portal-bench-"))
    )
    work.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"machine": machine(), "runs": args.runs, "seed": args.seed}
    exit_code = 0
    leftovers = Leftovers(MIN_FREE_BYTES)
    try:
        if args.serve:
            serve = measure_serve(args.serve_size, args.runs, args.seed, source, work)
            report["serve"] = serve
            ok = serve["complete_s"] is not None and serve["complete_s"] <= MAX_SERVE_S
            print(
                f"mkdocs serve, {serve['size']} Einträge, Veranstaltung '{serve['event']}' "
                f"geändert (Median aus {args.runs}):"
            )
            print(f"  Start: {_fmt(serve['startup_s'], '{:.1f}')} s")
            print(f"  Seite zeigt die Änderung nach {_fmt(serve['page_s'])} s")
            print(
                f"  alles aktuell (Suchindex, /events/, Kalender, RSS ausgeliefert) nach "
                f"{_fmt(serve['complete_s'])} s – Ziel <= {MAX_SERVE_S:.0f} s: "
                f"{'PASS' if ok else 'FAIL'}"
            )
            if serve["missing"]:
                print(f"  nicht aktualisiert: {', '.join(serve['missing'])}")
            exit_code = 0 if ok else 1
        else:
            results = measure_sizes(args.sizes, args.runs, args.seed, source, work, leftovers)
            targets = evaluate(results)
            info = report["machine"]
            print(
                f"\n{info['date']}, {info['cpu']}, {info['cores']} Kerne, Python "
                f"{info['python']}, MkDocs {info['mkdocs']}, Material {info['mkdocs-material']}; "
                f"Median aus {args.runs} Läufen\n"
            )
            print(render_table(results, targets))
            for line in disturbance_report(results):
                print(line)
            if leftovers.early_removals:
                print(
                    f"Achtung: {leftovers.early_removals}-mal wurde der Platz knapp und "
                    "frühere Builds wurden zwischendurch gelöscht; auf manchen Dateisystemen "
                    "(ext4 ohne Journal) verlangsamt das die folgenden Builds."
                )
            for r in results:
                for kind, error in (("Portal", r.portal_error), ("Floor", r.floor_error)):
                    if error:
                        print(f"\n{kind}-Build ({r.size}) fehlgeschlagen:\n{error}")
            report["sizes"] = [{**asdict(r), "ms_per_item": r.ms_per_item} for r in results]
            report["targets"] = [asdict(t) for t in targets]
            report["early_removals"] = leftovers.early_removals
            exit_code = 1 if any(r.portal_error or r.floor_error for r in results) else 0
    finally:
        leftovers.remove()
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return exit_code


def build_parser() -> argparse.ArgumentParser:
    """The benchmark's command line (``scripts/bench``)."""
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Misst Validierung, Feeds/Kalender/Exporte, den Portal-Build und den "
        "Floor (MkDocs + Material mit gleich vielen einfachen Seiten) auf synthetischen "
        "Inhalten; mit --serve die Zeit, bis 'mkdocs serve' eine Änderung zeigt.",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=[1000],
        help="Zahl der Einträge, kommagetrennt (Standard: 1000)",
    )
    parser.add_argument("--runs", type=int, default=3, help="Läufe je Größe (Median; Standard 3)")
    parser.add_argument("--seed", type=int, default=1, help="Zufallsstartwert der Inhalte")
    parser.add_argument("--json", metavar="DATEI", help="Ergebnisse zusätzlich als JSON")
    parser.add_argument(
        "--work-dir",
        metavar="ORDNER",
        help="erzeugte Projekte hier ablegen und behalten (sonst temporär)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="stattdessen die Aktualisierung unter 'mkdocs serve' messen",
    )
    parser.add_argument(
        "--serve-size", type=int, default=1000, help="Einträge für --serve (Standard 1000)"
    )
    parser.add_argument("--project-dir", default=".", help="Projektordner (Standard: .)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``scripts/bench``; returns the exit code."""
    return _run(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
