"""The parallel run's order and units (tests/support/scheduling.py), with pytest-xdist's own
scheduler driven by two stand-in workers."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from tests.support import scheduling

SWEEP = "tests/browser/test_every_page.py"
DEMO = "tests/tijdvoorelkaar/quickstart/test_demo_process.py"
WALK = "tests/isolation/test_url_walk.py"
COLLECTION = [
    "tests/a/test_one.py::test_a",
    "tests/a/test_one.py::test_b",
    f"{SWEEP}::test_routes",
    f"{SWEEP}::test_sweep[utrecht]",
    f"{SWEEP}::test_sweep[breda]",
    f"{SWEEP}::test_console",
    "tests/a/test_alone.py::test_timed",
    *(f"{WALK}::test_walk[{n}]" for n in range(6)),
    f"{DEMO}::test_ctrl_c",
    f"{DEMO}::test_sigterm",
    "tests/a/test_two.py::test_c",
]


class Worker:
    """What the scheduler sees of a pytest-xdist worker: it is sent indices to run."""

    def __init__(self, name: str, collection: list[str]) -> None:
        self.name = name
        self.gateway = SimpleNamespace(id=name)
        self.collection = collection
        self.sent: list[list[str]] = []
        self.queue: list[str] = []
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent.append([self.collection[i] for i in indices])
        self.queue += self.sent[-1]

    def shutdown(self) -> None:
        self.shutting_down = True


def _run(collection: list[str]) -> tuple[Worker, Worker]:
    """The scheduler hands `collection` to two workers that end a test each in turn."""
    config = SimpleNamespace(
        getvalue=lambda name: ["popen", "popen"] if name == "tx" else None,
        option=SimpleNamespace(loadscopereorder=False),
    )
    scheduler = scheduling.Scheduling(config)  # type: ignore[arg-type]
    workers = Worker("gw0", collection), Worker("gw1", collection)
    for worker in workers:
        scheduler.add_node(worker)  # type: ignore[arg-type]
        scheduler.add_node_collection(worker, collection)  # type: ignore[arg-type]
    scheduler.schedule()
    while any(worker.queue for worker in workers):
        for worker in workers:
            if worker.queue:
                done = collection.index(worker.queue.pop(0))
                scheduler.mark_test_complete(worker, done)  # type: ignore[arg-type]
    assert scheduler.tests_finished
    return workers


@pytest.fixture
def ordered(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    """COLLECTION as each worker orders it (`scheduling.in_order`), with these lists."""
    # A file with an `alone` test goes late even when it is long.
    monkeypatch.setattr(scheduling, "LONG_FIRST", (SWEEP, DEMO, "tests/a/test_alone.py"))
    monkeypatch.setattr(scheduling, "BY_TEST", (SWEEP, WALK))

    def item(nodeid: str) -> SimpleNamespace:
        marked = "test_alone.py" in nodeid
        return SimpleNamespace(nodeid=nodeid, get_closest_marker=lambda name: marked or None)

    return [item.nodeid for item in scheduling.in_order([item(n) for n in COLLECTION])]  # type: ignore[misc]


def test_long_files_go_first_and_files_with_an_alone_test_before_the_by_test_files(
    ordered: list[str],
) -> None:
    files = list(dict.fromkeys(scheduling.path_of(nodeid) for nodeid in ordered))
    assert files == [
        SWEEP,
        DEMO,
        "tests/a/test_one.py",
        "tests/a/test_two.py",
        "tests/a/test_alone.py",
        WALK,
    ]
    assert sorted(ordered) == sorted(COLLECTION)
    assert [n for n in ordered if SWEEP in n] == [n for n in COLLECTION if SWEEP in n]


def test_a_file_goes_out_whole_and_a_by_test_file_test_by_test(ordered: list[str]) -> None:
    gw0, gw1 = _run(ordered)
    units = gw0.sent + gw1.sent
    assert sorted(nodeid for unit in units for nodeid in unit) == sorted(COLLECTION)
    assert ["tests/a/test_one.py::test_a", "tests/a/test_one.py::test_b"] in units
    assert [f"{DEMO}::test_ctrl_c", f"{DEMO}::test_sigterm"] in units
    for nodeid in COLLECTION:
        if scheduling.path_of(nodeid) in (SWEEP, WALK):
            assert [nodeid] in units
    # The first units go out in turn: the two neighbourhoods' sweeps start at once, on
    # different workers, and the console follows one of them there.
    assert gw0.sent[:2] == [[f"{SWEEP}::test_routes"], [f"{SWEEP}::test_sweep[breda]"]]
    assert gw1.sent[:2] == [[f"{SWEEP}::test_sweep[utrecht]"], [f"{SWEEP}::test_console"]]


@pytest.mark.parametrize("path", sorted({*scheduling.LONG_FIRST, *scheduling.BY_TEST}))
def test_every_file_named_exists(path: str) -> None:
    assert (Path(settings.REPO_ROOT) / path).is_file(), f"{path}: gone, or moved"
