"""Heapscope for Python: JVM heap dump (HPROF) analysis over the C ABI (libheapscope.so.0).

    import heapscope
    report = heapscope.analyze("app.hprof")           # the report of `heapscope analyze` as a dict
    with heapscope.open("app.hprof") as heap:
        heap.info(); heap.histogram(top=10); heap.dominators(top=5, depth=2)
        heap.path(0x7ffd023d0); heap.object("0x7ffd023d0")

Every query returns the JSON document of the matching CLI command (`--format json`), parsed.
Errors raise HeapscopeError (its `code` is the CLI's exit code; Cancelled when a progress
callback asked to stop). Only the standard library is used (ctypes).
"""

from ._native import Analysis, Cancelled, HeapscopeError, analyze, open, version

__all__ = ["Analysis", "Cancelled", "HeapscopeError", "analyze", "open", "version"]
