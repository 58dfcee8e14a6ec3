#!/usr/bin/env python3
"""Check a sample heap dump against its JSON sidecar (stdlib only; .zst needs the zstd CLI).

usage: check_dump.py [--quick] [--histogram] [--sidecar FILE.json] DUMP [DUMP...]

For each DUMP (.hprof, .hprof.gz incl. the JVM's chunked gzip, .hprof.zst) the sidecar is
DUMP with .hprof[.gz|.zst] replaced by .json, unless --sidecar is given. It verifies, from the
dump alone:

  classes      exact instance counts per class name (arrays as "byte[]", "java.lang.Object[]")
  finalizer    Finalizer.unfinalized list and Finalizer.queue (via Reference.next), split into
               registered / pending / being_finalized for the sidecar's finalize_class and its
               subclasses; the "Finalizer" thread's state (from threadStatus)
  timers       java.util.Timer (found by thread name): TaskQueue size, array length, task
               states, head state, task classes; ScheduledThreadPoolExecutor (found by worker
               thread name): DelayedWorkQueue size, array length, FutureTask states of the
               elements (a decorated element's state is read from the FutureTask it wraps)
  held_only_by_cancelled[_all]
               objects reachable from GC roots but not once the CANCELLED tasks are removed
               from the graph; java.lang.ref.Reference.referent is not a strong edge; every
               class object counts as a root (statics). _all must match exactly.

--quick only counts instances per class (for the ~1 GB dumps). --histogram prints the counts of
the sidecar's classes and of the biggest classes. Exit status 1 on any mismatch.
"""
import gzip
import json
import os
import struct
import subprocess
import sys
from collections import Counter, defaultdict

PRIM_NAMES = {4: 'boolean', 5: 'char', 6: 'float', 7: 'double', 8: 'byte', 9: 'short', 10: 'int', 11: 'long'}
PRIM_SIZE = {4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}
SIG = {'Z': 'boolean', 'C': 'char', 'F': 'float', 'D': 'double', 'B': 'byte', 'S': 'short', 'I': 'int', 'J': 'long'}


def read_bytes(path):
    if path.endswith('.zst'):
        return subprocess.run(['zstd', '-dcq', path], check=True, stdout=subprocess.PIPE).stdout
    with open(path, 'rb') as f:
        head = f.read(2)
    if head == b'\x1f\x8b':
        # gzip.decompress handles multi-member files (the JVM's chunked -gz output)
        with open(path, 'rb') as f:
            return gzip.decompress(f.read())
    with open(path, 'rb') as f:
        return f.read()


def java_name(n):
    """HPROF class name -> Java source-ish name ("[B" -> "byte[]")."""
    n = n.replace('/', '.')
    dims = 0
    while n.startswith('['):
        dims += 1
        n = n[1:]
    if dims:
        if n.startswith('L') and n.endswith(';'):
            n = n[1:-1]
        else:
            n = SIG.get(n, n)
    return n + '[]' * dims


class Dump:
    def __init__(self, data, quick=False):
        self.d = data
        nul = data.index(b'\0')
        if not data.startswith(b'JAVA PROFILE '):
            raise ValueError('not an HPROF file')
        p = nul + 1
        self.idsize = struct.unpack_from('>I', data, p)[0]
        p += 12
        ids = self.idsize
        self.idfmt = '>Q' if ids == 8 else '>I'
        self.strings = {}
        self.class_name = {}          # class id -> java name
        self.cls = {}                 # class id -> dict(super, fields[(name, type)], statics{name: (type, value)}, isize)
        self.inst = {}                # id -> (class id, offset of field bytes, length)
        self.objarr = {}              # id -> (array class id, offset, count)
        self.primarr = {}             # id -> (type, count, offset of the elements)
        self.roots = []               # (kind, id, thread serial or None)
        self.counts = Counter()       # class id or ('prim', type) -> instances
        self.objarr_counts = Counter()
        self.thread_serial_obj = {}   # thread serial -> thread object id
        self.frames = {}
        self.traces = {}
        n = len(data)
        rid = lambda o: struct.unpack_from(self.idfmt, data, o)[0]
        while p < n:
            tag, _, ln = struct.unpack_from('>BII', data, p)
            body = p + 9
            end = body + ln
            if tag == 0x01:
                self.strings[rid(body)] = data[body + ids:end].decode('utf-8', 'replace')
            elif tag == 0x02:
                cid = rid(body + 4)
                self.class_name[cid] = java_name(self.strings.get(rid(body + 8 + ids), '?'))
            elif tag == 0x04 and not quick:
                fid = rid(body)
                self.frames[fid] = (self.strings.get(rid(body + ids), '?'), struct.unpack_from('>I', data, body + 3 * ids)[0])
            elif tag == 0x05 and not quick:
                serial, tserial, nfr = struct.unpack_from('>III', data, body)
                self.traces[serial] = (tserial, [rid(body + 12 + i * ids) for i in range(nfr)])
            elif tag in (0x0C, 0x1C):
                self._heap(body, end, quick)
            p = end

    def _heap(self, q, end, quick):
        d = self.d
        ids = self.idsize
        rid = lambda o: struct.unpack_from(self.idfmt, d, o)[0]
        fsize = dict(PRIM_SIZE)
        fsize[2] = ids
        while q < end:
            st = d[q]
            q += 1
            if st == 0xFF or st == 0x05 or st == 0x07:
                if not quick:
                    self.roots.append((st, rid(q), None))
                q += ids
            elif st == 0x01:
                if not quick:
                    self.roots.append((st, rid(q), None))
                q += 2 * ids
            elif st in (0x02, 0x03):
                if not quick:
                    self.roots.append((st, rid(q), struct.unpack_from('>I', d, q + ids)[0]))
                q += ids + 8
            elif st == 0x08:
                if not quick:
                    serial = struct.unpack_from('>I', d, q + ids)[0]
                    self.thread_serial_obj[serial] = rid(q)
                    self.roots.append((st, rid(q), serial))
                q += ids + 8
            elif st in (0x04, 0x06):
                if not quick:
                    self.roots.append((st, rid(q), struct.unpack_from('>I', d, q + ids)[0]))
                q += ids + 4
            elif st == 0x20:
                cid = rid(q)
                sup = rid(q + ids + 4)
                q += ids + 4 + 6 * ids
                isize = struct.unpack_from('>I', d, q)[0]
                q += 4
                ncp = struct.unpack_from('>H', d, q)[0]
                q += 2
                for _ in range(ncp):
                    ty = d[q + 2]
                    q += 3 + fsize[ty]
                nst = struct.unpack_from('>H', d, q)[0]
                q += 2
                statics = {}
                for _ in range(nst):
                    nm = self.strings.get(rid(q), '?')
                    ty = d[q + ids]
                    val = rid(q + ids + 1) if ty == 2 else None
                    statics[nm] = (ty, val)
                    q += ids + 1 + fsize[ty]
                nif = struct.unpack_from('>H', d, q)[0]
                q += 2
                fields = []
                for _ in range(nif):
                    fields.append((self.strings.get(rid(q), '?'), d[q + ids]))
                    q += ids + 1
                self.cls[cid] = {'super': sup, 'fields': fields, 'statics': statics, 'isize': isize}
            elif st == 0x21:
                oid = rid(q)
                ccid = rid(q + ids + 4)
                blen = struct.unpack_from('>I', d, q + 2 * ids + 4)[0]
                self.counts[ccid] += 1
                if not quick:
                    self.inst[oid] = (ccid, q + 2 * ids + 8, blen)
                q += 2 * ids + 8 + blen
            elif st == 0x22:
                oid = rid(q)
                cnt = struct.unpack_from('>I', d, q + ids + 4)[0]
                acid = rid(q + ids + 8)
                self.objarr_counts[acid] += 1
                if not quick:
                    self.objarr[oid] = (acid, q + 2 * ids + 8, cnt)
                q += 2 * ids + 8 + cnt * ids
            elif st == 0x23:
                oid = rid(q)
                cnt = struct.unpack_from('>I', d, q + ids + 4)[0]
                ty = d[q + ids + 8]
                self.counts[('prim', ty)] += 1
                if not quick:
                    self.primarr[oid] = (ty, cnt, q + ids + 9)
                q += ids + 9 + cnt * PRIM_SIZE[ty]
            else:
                raise ValueError('unknown heap sub-record 0x%02x at %d' % (st, q - 1))

    # ----------------------------------------------------------------- helpers
    def histogram(self):
        h = Counter()
        for k, v in self.counts.items():
            if isinstance(k, tuple):
                h[PRIM_NAMES[k[1]] + '[]'] += v
            else:
                h[self.class_name.get(k, '0x%x' % k)] += v
        for k, v in self.objarr_counts.items():
            h[self.class_name.get(k, '0x%x' % k)] += v
        return h

    def class_id(self, name):
        for cid, n in self.class_name.items():
            if n == name and cid in self.cls:
                return cid
        return None

    def name_of(self, oid):
        if oid in self.inst:
            return self.class_name.get(self.inst[oid][0], '?')
        if oid in self.objarr:
            return self.class_name.get(self.objarr[oid][0], '?')
        if oid in self.primarr:
            return PRIM_NAMES[self.primarr[oid][0]] + '[]'
        if oid in self.cls:
            return 'java.lang.Class'
        return None

    def is_subclass(self, cid, ancestor):
        while cid:
            if cid == ancestor:
                return True
            cid = self.cls.get(cid, {}).get('super', 0)
        return False

    def fields(self, oid):
        """[(declaring class name, field name, type, value)] in dump order."""
        cid, off, _ = self.inst[oid]
        out = []
        d = self.d
        while cid:
            c = self.cls[cid]
            for nm, ty in c['fields']:
                if ty == 2:
                    v = struct.unpack_from(self.idfmt, d, off)[0]
                    off += self.idsize
                else:
                    sz = PRIM_SIZE[ty]
                    raw = d[off:off + sz]
                    off += sz
                    if ty == 4 or ty == 8:
                        v = struct.unpack('>b', raw)[0]
                    elif ty == 5:
                        v = struct.unpack('>H', raw)[0]
                    elif ty == 9:
                        v = struct.unpack('>h', raw)[0]
                    elif ty == 10:
                        v = struct.unpack('>i', raw)[0]
                    elif ty == 11:
                        v = struct.unpack('>q', raw)[0]
                    elif ty == 6:
                        v = struct.unpack('>f', raw)[0]
                    else:
                        v = struct.unpack('>d', raw)[0]
                out.append((self.class_name.get(cid, '?'), nm, ty, v))
            cid = c['super']
        return out

    def field(self, oid, name, declared_in=None):
        """First (most derived) field called name, or the one declared in declared_in."""
        for decl, nm, _, v in self.fields(oid):
            if nm == name and (declared_in is None or decl == declared_in):
                return v
        raise KeyError('%s has no field %s' % (self.name_of(oid), name))

    def static(self, class_name, name):
        return self.cls[self.class_id(class_name)]['statics'][name][1]

    def array(self, oid):
        acid, off, cnt = self.objarr[oid]
        return [struct.unpack_from(self.idfmt, self.d, off + i * self.idsize)[0] for i in range(cnt)]

    def string(self, oid):
        if not oid:
            return None
        val = self.field(oid, 'value')
        coder = 0
        try:
            coder = self.field(oid, 'coder')
        except KeyError:
            pass
        ty, cnt, off = self.primarr[val]
        raw = self.d[off:off + cnt * PRIM_SIZE[ty]]
        if ty == 5:
            return raw.decode('utf-16-be')
        return raw.decode('utf-16-le' if coder == 1 else 'latin1')

    def threads(self):
        """name -> thread object id, for every instance of java.lang.Thread or a subclass."""
        tcls = self.class_id('java.lang.Thread')
        out = {}
        for oid, (cid, _, _) in self.inst.items():
            if self.is_subclass(cid, tcls):
                out[self.string(self.field(oid, 'name', 'java.lang.Thread'))] = oid
        return out

    def thread_state(self, t):
        try:
            status = self.field(t, 'threadStatus', 'java.lang.Thread')
        except KeyError:  # JDK 19+: Thread.holder -> Thread$FieldHolder
            status = self.field(self.field(t, 'holder'), 'threadStatus')
        if status & 0x4:
            return 'RUNNABLE'
        if status & 0x400:
            return 'BLOCKED'
        if status & 0x10:
            return 'WAITING'
        if status & 0x20:
            return 'TIMED_WAITING'
        if status & 0x2:
            return 'TERMINATED'
        if not status & 0x1:
            return 'NEW'
        return 'RUNNABLE'

    def thread_target(self, t):
        try:
            return self.field(t, 'target', 'java.lang.Thread')
        except KeyError:
            return self.field(self.field(t, 'holder'), 'task')

    # ----------------------------------------------------------------- graph
    def strong_edges(self, oid):
        if oid in self.inst:
            for decl, nm, ty, v in self.fields(oid):
                if ty == 2 and v and not (nm == 'referent' and decl == 'java.lang.ref.Reference'):
                    yield v
        elif oid in self.objarr:
            for v in self.array(oid):
                if v:
                    yield v
        elif oid in self.cls:
            for ty, v in self.cls[oid]['statics'].values():
                if ty == 2 and v:
                    yield v

    def reachable(self, removed=frozenset()):
        seen = set()
        stack = [r for _, r, _ in self.roots] + list(self.cls)
        while stack:
            o = stack.pop()
            if o in seen or o in removed:
                continue
            if o not in self.inst and o not in self.objarr and o not in self.primarr and o not in self.cls:
                continue
            seen.add(o)
            stack.extend(self.strong_edges(o))
        return seen


# --------------------------------------------------------------------- checks

class Checker:
    def __init__(self, dump, sidecar):
        self.h = dump
        self.s = sidecar
        self.errors = []
        self.notes = []

    def eq(self, what, expected, actual):
        if expected != actual:
            self.errors.append('%s: sidecar %r, dump %r' % (what, expected, actual))

    def classes(self, hist):
        for name, n in self.s.get('classes', {}).items():
            self.eq('classes[%s]' % name, n, hist.get(name, 0))

    def finalizer(self):
        f = self.s.get('finalizer')
        if not f:
            return
        h = self.h
        fin_cls = h.class_id(f['finalize_class'])
        queue = h.static('java.lang.ref.Finalizer', 'queue')
        in_list = set()
        o = h.static('java.lang.ref.Finalizer', 'unfinalized')
        while o:
            in_list.add(o)
            o = h.field(o, 'next', 'java.lang.ref.Finalizer')
        in_queue = set()
        o = h.field(queue, 'head')
        while o:
            in_queue.add(o)
            nxt = h.field(o, 'next', 'java.lang.ref.Reference')
            if nxt == o:
                break
            o = nxt
        self.eq('Finalizer.queue.queueLength == walked length', h.field(queue, 'queueLength'), len(in_queue))

        def ours(fo):
            r = h.field(fo, 'referent', 'java.lang.ref.Reference')
            return r and r in h.inst and h.is_subclass(h.inst[r][0], fin_cls)
        fcls = h.class_id('java.lang.ref.Finalizer')
        finalizers = [o for o, (c, _, _) in h.inst.items() if c == fcls]
        registered = sum(1 for o in in_list - in_queue if ours(o))
        pending = sum(1 for o in in_queue if ours(o))
        in_list_and_queue = sum(1 for o in in_queue & in_list if ours(o))
        # being finalized: unlinked (next == self, prev == null) but referent not cleared yet
        being = sum(1 for o in finalizers if o not in in_list and o not in in_queue and ours(o)
                    and h.field(o, 'next', 'java.lang.ref.Finalizer') == o)
        self.eq('finalizer.registered', f['registered'], registered)
        self.eq('finalizer.pending', f['pending'], pending)
        self.eq('finalizer.pending also in unfinalized list', f['pending'], in_list_and_queue)
        self.eq('finalizer.being_finalized', f['being_finalized'], being)
        if 'unfinalized_list' in f:
            self.eq('finalizer.unfinalized_list', f['unfinalized_list'], sum(1 for o in in_list if ours(o)))
        th = h.threads()
        self.eq('finalizer.finalizer_thread_state', f['finalizer_thread_state'], h.thread_state(th['Finalizer']))

    def cancelled_set_timer(self, t):
        h = self.h
        tq = h.field(t, 'queue', 'java.util.TimerThread')
        size = h.field(tq, 'size')
        arr = h.array(h.field(tq, 'queue'))
        names = ('virgin', 'scheduled', 'executed', 'cancelled')
        counts = Counter()
        classes = Counter()
        cancelled = set()
        for i in range(1, size + 1):
            st = h.field(arr[i], 'state', 'java.util.TimerTask')
            counts[names[st]] += 1
            classes[h.name_of(arr[i])] += 1
            if st == 3:
                cancelled.add(arr[i])
        stray = sum(1 for i, v in enumerate(arr) if v and not 1 <= i <= size)
        head = names[h.field(arr[1], 'state', 'java.util.TimerTask')].upper() if size else None
        return size, len(arr), dict(counts), dict(classes), head, cancelled, stray

    def cancelled_set_executor(self, worker_thread):
        h = self.h
        worker = h.thread_target(worker_thread)
        ex = h.field(worker, 'this$0')
        q = h.field(ex, 'workQueue')
        size = h.field(q, 'size')
        arr = h.array(h.field(q, 'queue'))
        ft_cls = h.class_id('java.util.concurrent.FutureTask')
        names = {0: 'scheduled', 1: 'completing', 2: 'normal', 3: 'exceptional', 4: 'cancelled',
                 5: 'interrupting', 6: 'interrupted'}
        counts = Counter()
        classes = Counter()
        cancelled = set()
        head = None
        for i in range(size):
            e = arr[i]
            ft = e
            if not h.is_subclass(h.inst[e][0], ft_cls):
                ft = next(v for _, _, ty, v in h.fields(e)
                          if ty == 2 and v in h.inst and h.is_subclass(h.inst[v][0], ft_cls))
            st = h.field(ft, 'state', 'java.util.concurrent.FutureTask')
            counts[names[st]] += 1
            classes[h.name_of(e)] += 1
            if i == 0:
                head = names[st].upper()
            if st == 4:
                cancelled.add(e)
        stray = sum(1 for i, v in enumerate(arr) if v and i >= size)
        return size, len(arr), dict(counts), dict(classes), head, cancelled, stray, h.name_of(ex)

    def timers(self):
        timers = self.s.get('timers') or []
        if not timers:
            return
        h = self.h
        th = h.threads()
        base = None
        for t in timers:
            tag = 'timers[%s]' % t['thread_name']
            if t['thread_name'] not in th:
                self.errors.append('%s: no such thread in the dump' % tag)
                continue
            thread = th[t['thread_name']]
            if t['kind'] == 'java.util.Timer':
                size, cap, counts, classes, head, cancelled, stray = self.cancelled_set_timer(thread)
                for k in ('virgin', 'scheduled', 'executed', 'cancelled'):
                    self.eq(tag + '.tasks.' + k, t['tasks'].get(k, 0), counts.get(k, 0))
            else:
                size, cap, counts, classes, head, cancelled, stray, exname = self.cancelled_set_executor(thread)
                if 'executor_class' in t:
                    self.eq(tag + '.executor_class', t['executor_class'], exname)
                for k, v in t['tasks'].items():
                    self.eq(tag + '.tasks.' + k, v, counts.get(k, 0))
            self.eq(tag + '.queue_size', t['queue_size'], size)
            self.eq(tag + '.capacity', t['capacity'], cap)
            self.eq(tag + '.head_state', t['head_state'], head)
            self.eq(tag + '.stray array slots', 0, stray)
            if 'task_classes' in t:
                self.eq(tag + '.task_classes', t['task_classes'], classes)
            if 'thread_state' in t:
                self.eq(tag + '.thread_state', t['thread_state'], h.thread_state(thread))
            if 'held_only_by_cancelled' in t or 'held_only_by_cancelled_all' in t:
                if base is None:
                    base = h.reachable()
                after = h.reachable(frozenset(cancelled))
                freed = Counter(h.name_of(o) for o in base - after - cancelled)
                for name, n in t.get('held_only_by_cancelled', {}).items():
                    self.eq(tag + '.held_only_by_cancelled[%s]' % name, n, freed.get(name, 0))
                if 'held_only_by_cancelled_all' in t:
                    self.eq(tag + '.held_only_by_cancelled_all', t['held_only_by_cancelled_all'],
                            dict(sorted(freed.items())) if freed else {})


def sidecar_for(path):
    s = path
    for ext in ('.gz', '.zst'):
        if s.endswith('.hprof' + ext):
            s = s[:-len(ext)]
    if s.endswith('.hprof'):
        s = s[:-len('.hprof')]
    return s + '.json'


def main(argv):
    quick = '--quick' in argv
    show = '--histogram' in argv
    sidecar = None
    files = []
    it = iter(argv)
    for a in it:
        if a == '--sidecar':
            sidecar = next(it)
        elif a in ('--quick', '--histogram'):
            pass
        else:
            files.append(a)
    if not files:
        print(__doc__)
        return 2
    bad = 0
    for f in files:
        sc_path = sidecar or sidecar_for(f)
        with open(sc_path) as fh:
            sc = json.load(fh)
        dump = Dump(read_bytes(f), quick=quick)
        hist = dump.histogram()
        c = Checker(dump, sc)
        c.classes(hist)
        if not quick:
            c.finalizer()
            c.timers()
        if show:
            for name in sc.get('classes', {}):
                print('  %-60s %d' % (name, hist.get(name, 0)))
            for name, n in hist.most_common(12):
                print('  %-60s %d' % (name, n))
        status = 'OK' if not c.errors else 'FAIL'
        print('%s %s (%s, %s, live=%s%s)' % (status, f, sc['program'], sc['jdk'], sc['live'],
                                             ', quick' if quick else ''))
        for e in c.errors:
            print('   ', e)
        bad += bool(c.errors)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
