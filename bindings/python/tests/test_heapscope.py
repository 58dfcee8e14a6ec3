"""The Python binding over the installed tree, against the installed CLI on the demo dump."""

import json
import os
import subprocess
import threading

import pytest

import heapscope

PREFIX = os.environ["HEAPSCOPE_TEST_PREFIX"]
DUMP = os.environ["HEAPSCOPE_DEMO_DUMP"]
CLI = os.path.join(PREFIX, "bin", "heapscope")
STATEMENT = 0xF0000470  # a closed Jdbc3gPreparedStatement of the demo dump (PgTimerLeak)
TASK = 0xF0000938  # the cancelled TimerTask that holds it


def cli(*args, expect=(0,)):
    run = subprocess.run([CLI, args[0], "-q", "--format", "json", *args[1:], DUMP],
                         capture_output=True, text=True, check=False)
    assert run.returncode in expect, run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def heap():
    with heapscope.open(DUMP) as h:
        yield h


def test_the_package_comes_from_the_installed_tree():
    assert heapscope.__file__.startswith(PREFIX)
    assert heapscope.version() == "0.1.0"


def test_analyze_is_the_cli_report():
    report = heapscope.analyze(DUMP)
    assert report == json.loads(cli("analyze", expect=(0, 1)))
    assert report["verdict"]


def test_report_json_is_byte_identical(heap):
    assert heap.report_json() == cli("analyze", expect=(0, 1))


def test_queries_equal_the_cli(heap):
    assert heap.info() == json.loads(cli("info"))
    assert heap.histogram(top=10) == json.loads(cli("histogram", "--top", "10"))
    assert heap.histogram(sort="retained", top=5, strong_only=True) == json.loads(
        cli("histogram", "--sort", "retained", "--strong-only", "--top", "5"))
    assert heap.dominators(top=5, depth=2) == json.loads(
        cli("dominators", "--top", "5", "--depth", "2"))
    assert heap.path(TASK) == json.loads(cli("path", "--object", hex(TASK)))
    assert heap.path(hex(STATEMENT), max_paths=2, all_references=True) == json.loads(
        cli("path", "--object", hex(STATEMENT), "--all-references", "--max-paths", "2"))
    assert heap.object(STATEMENT) == json.loads(cli("object", "--object", hex(STATEMENT)))


def test_children_of_a_dominator(heap):
    top = heap.dominators(top=3, depth=2)
    first = next(n for n in top["dominators"] if n["children"])
    sub = heap.dominators(first["object_id"], top=3, depth=1)
    assert sub["object_id"] == first["object_id"]
    assert sub["dominators"] == first["children"]


def test_errors_carry_the_code_and_message(heap):
    with pytest.raises(heapscope.HeapscopeError) as e:
        heap.object(0x12345)
    assert e.value.code == 2
    assert e.value.message == "the dump has no object with id 0x12345"
    with pytest.raises(heapscope.HeapscopeError) as e:
        heapscope.open("/nonexistent.hprof")
    assert e.value.code == 3
    assert "/nonexistent.hprof" in e.value.message
    # over the budget the tables go to spill files: the same report, not an error
    assert heapscope.analyze(DUMP, memory_budget=1) == heapscope.analyze(DUMP)


def test_progress_reports_phases_and_cancels():
    phases = []
    heapscope.analyze(DUMP, progress=lambda phase, fraction: phases.append(phase) and False)
    assert "scan records" in phases and "build graph" in phases

    def stop_at_graph(phase, _fraction):
        return phase == "build graph"

    with pytest.raises(heapscope.Cancelled) as e:
        heapscope.analyze(DUMP, progress=stop_at_graph)
    assert e.value.code == 6


def test_an_exception_in_the_callback_cancels_and_comes_back():
    def broken(_phase, _fraction):
        raise KeyError("from the callback")

    with pytest.raises(KeyError):
        heapscope.open(DUMP, progress=broken)


def test_threads_share_one_analysis(heap):
    expected = heap.object(STATEMENT)
    results = []

    def ask():
        results.append(heap.object(STATEMENT))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


def test_a_closed_analysis_refuses_queries():
    h = heapscope.open(DUMP)
    h.close()
    with pytest.raises(ValueError):
        h.info()
