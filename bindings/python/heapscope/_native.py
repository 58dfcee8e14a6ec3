"""The ctypes layer over heapscope.h: loading the library, the calls, errors and progress."""


import ctypes
import json
import os

from . import _config

OK, ERROR_USAGE, ERROR_BAD_INPUT, ERROR_MEMORY_BUDGET, ERROR_INTERNAL, CANCELLED = 0, 2, 3, 4, 5, 6
RETAINED_DEFAULT, RETAINED_MAT, RETAINED_STRONG_ONLY = 0, 1, 2

PROGRESS = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_double)


class HeapscopeError(Exception):
    """A failed call: `code` is the CLI's exit code (3 bad input, 4 over budget, ...)."""

    def __init__(self, code, message):
        super().__init__(f"{message} (code {code})")
        self.code = code
        self.message = message


class Cancelled(HeapscopeError):
    """The progress callback asked to stop."""


def _error(code, message):
    return (Cancelled if code == CANCELLED else HeapscopeError)(code, message)


def _load():
    candidates = []
    if os.environ.get("HEAPSCOPE_LIBRARY"):
        candidates.append(os.environ["HEAPSCOPE_LIBRARY"])
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.append(os.path.normpath(os.path.join(here, _config.LIBDIR_FROM_PACKAGE,
                                                    "libheapscope.so.0")))
    candidates.append("libheapscope.so.0")
    errors = []
    for path in candidates:
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
    raise ImportError("heapscope: cannot load libheapscope.so.0: " + "; ".join(errors))


_lib = _load()
_out = ctypes.POINTER(ctypes.c_void_p)


def _declare(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_version = _declare("heapscope_version", ctypes.c_char_p)
_options_new = _declare("heapscope_options_new", ctypes.c_void_p)
_options_free = _declare("heapscope_options_free", None, ctypes.c_void_p)
_set_budget = _declare("heapscope_options_set_memory_budget", ctypes.c_int, ctypes.c_void_p,
                       ctypes.c_uint64)
_set_threads = _declare("heapscope_options_set_threads", ctypes.c_int, ctypes.c_void_p,
                        ctypes.c_uint)
_set_cache = _declare("heapscope_options_set_cache_dir", ctypes.c_int, ctypes.c_void_p,
                      ctypes.c_char_p)
_set_convention = _declare("heapscope_options_set_retained_convention", ctypes.c_int,
                           ctypes.c_void_p, ctypes.c_int)
_set_progress = _declare("heapscope_options_set_progress", ctypes.c_int, ctypes.c_void_p,
                         PROGRESS, ctypes.c_void_p)
_open = _declare("heapscope_open", ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, _out, _out)
_close = _declare("heapscope_close", None, ctypes.c_void_p)
_free = _declare("heapscope_string_free", None, ctypes.c_void_p)
_report = _declare("heapscope_report_json", ctypes.c_int, ctypes.c_void_p, _out)
_info = _declare("heapscope_info_json", ctypes.c_int, ctypes.c_void_p, _out)
_histogram = _declare("heapscope_histogram_json", ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p,
                      ctypes.c_size_t, ctypes.c_int, _out)
_dominators = _declare("heapscope_dominators_json", ctypes.c_int, ctypes.c_void_p,
                       ctypes.c_uint64, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, _out)
_path = _declare("heapscope_path_json", ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64,
                 ctypes.c_size_t, ctypes.c_int, _out)
_object = _declare("heapscope_object_json", ctypes.c_int, ctypes.c_void_p, ctypes.c_uint64,
                   ctypes.c_size_t, _out)


def version():
    return _version().decode()


def _take(pointer):
    """The C string at `pointer` as str; frees it."""
    if not pointer.value:
        return None
    try:
        return ctypes.string_at(pointer.value).decode("utf-8", errors="replace")
    finally:
        _free(pointer.value)


def _object_id(value):
    if isinstance(value, str):
        return int(value, 16) if value.lower().startswith("0x") else int(value)
    return int(value)


def _convention(strong_only):
    if strong_only is None:
        return RETAINED_DEFAULT
    return RETAINED_STRONG_ONLY if strong_only else RETAINED_MAT


class Analysis:
    """One opened dump (heapscope.open). Queries may come from several threads at once."""

    def __init__(self, path, memory_budget=None, threads=0, cache_dir=None, strong_only=False,
                 progress=None):
        self._handle = None
        self._progress_error = None
        self._callback = PROGRESS(self._on_progress) if progress else None
        self._progress = progress
        options = _options_new()
        if not options:
            raise MemoryError("heapscope: no memory for options")
        try:
            if memory_budget is not None:
                _set_budget(options, int(memory_budget))
            _set_threads(options, int(threads))
            if cache_dir:
                _set_cache(options, os.fsencode(cache_dir))
            _set_convention(options, RETAINED_STRONG_ONLY if strong_only else RETAINED_MAT)
            if self._callback:
                _set_progress(options, self._callback, None)
            handle, message = ctypes.c_void_p(), ctypes.c_void_p()
            code = _open(os.fsencode(path), options, ctypes.byref(handle), ctypes.byref(message))
        finally:
            _options_free(options)
        text = _take(message)
        self._raise_progress_error()
        if code != OK:
            raise _error(code, text or "cannot open")
        self._handle = handle

    def _on_progress(self, _user, phase, fraction):
        try:
            return 1 if self._progress(phase.decode(), fraction) else 0
        except BaseException as e:  # never across the C boundary: cancel, re-raise afterwards
            self._progress_error = e
            return 1

    def _raise_progress_error(self):
        if self._progress_error is not None:
            e, self._progress_error = self._progress_error, None
            raise e

    def _query(self, function, *args):
        if not self._handle:
            raise ValueError("heapscope: the analysis is closed")
        out = ctypes.c_void_p()
        code = function(self._handle, *args, ctypes.byref(out))
        text = _take(out)
        self._raise_progress_error()
        if code != OK:
            message = text or ""
            try:
                message = json.loads(text)["error"]["message"]
            except (TypeError, ValueError, KeyError):
                pass
            raise _error(code, message)
        return text

    def report_json(self):
        """The report exactly as `heapscope analyze --format json` prints it."""
        return self._query(_report)

    def report(self):
        return json.loads(self.report_json())

    def info(self):
        return json.loads(self._query(_info))

    def histogram(self, sort="shallow", top=0, strong_only=None):
        return json.loads(self._query(_histogram, sort.encode(), top, _convention(strong_only)))

    def dominators(self, object_id=0, top=20, depth=1, strong_only=None):
        return json.loads(self._query(_dominators, _object_id(object_id), top, depth,
                                      _convention(strong_only)))

    def path(self, object_id, max_paths=1, all_references=False):
        return json.loads(self._query(_path, _object_id(object_id), max_paths,
                                      1 if all_references else 0))

    def object(self, object_id, elements=20):
        return json.loads(self._query(_object, _object_id(object_id), elements))

    def close(self):
        if self._handle:
            _close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __del__(self):
        self.close()


def open(path, memory_budget=None, threads=0, cache_dir=None, strong_only=False, progress=None):
    """Opens and indexes a dump. `progress(phase, fraction)` returning true cancels."""
    return Analysis(path, memory_budget, threads, cache_dir, strong_only, progress)


def analyze(path, memory_budget=None, progress=None):
    """The report of `heapscope analyze --format json` as a dict."""
    with open(path, memory_budget=memory_budget, progress=progress) as heap:
        return heap.report()



