package heapscope.samples;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Plumbing shared by the sample programs: argument parsing, writing the heap dump and its JSON
 * sidecar, and reading JDK internals (Finalizer list and queue, Timer TaskQueue,
 * ScheduledThreadPoolExecutor queue) by reflection so that every number written to the sidecar is
 * checked against the live data structures right before the dump.
 *
 * Reflection needs
 *   --add-opens java.base/java.lang.ref=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED
 *   --add-opens java.base/java.util.concurrent=ALL-UNNAMED
 * (make-dumps.sh passes them).
 *
 * Nothing here allocates instances of the programs' own classes, so it cannot disturb the counts.
 */
public final class SampleSupport {
    private SampleSupport() {}

    // ------------------------------------------------------------------ arguments

    /** {@code --key value} pairs; a flag without a value (next token starts with "--") is "true". */
    public static final class Args {
        private final Map<String, String> values = new LinkedHashMap<>();

        public Args(String[] argv) {
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a);
                String key = a.substring(2);
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    values.put(key.substring(0, eq), key.substring(eq + 1));
                } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    values.put(key, argv[++i]);
                } else {
                    values.put(key, "true");
                }
            }
        }

        public int integer(String key, int def) {
            String v = values.get(key);
            return v == null ? def : Integer.parseInt(v.replace("_", ""));
        }

        public boolean bool(String key, boolean def) {
            String v = values.get(key);
            if (v == null) return def;
            if (v.equals("true") || v.equals("1") || v.equals("yes")) return true;
            if (v.equals("false") || v.equals("0") || v.equals("no")) return false;
            throw new IllegalArgumentException("--" + key + " expects true|false, got " + v);
        }

        public String string(String key, String def) {
            String v = values.get(key);
            return v == null ? def : v;
        }
    }

    // ------------------------------------------------------------------ payloads

    /** A payload with a cheap, non-zero, compressible pattern (so .zst/.gz stay small). */
    public static byte[] payload(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) ('A' + ((seed + i) % 26));
        return b;
    }

    // ------------------------------------------------------------------ GC helpers

    /** A few full GCs with short pauses so that reference processing threads can catch up. */
    public static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------ dump + sidecar

    /** OUT.hprof -> OUT.json, OUT.hprof.gz -> OUT.json, anything else -> anything.json */
    public static Path sidecarPath(String dump) {
        String s = dump;
        for (String ext : new String[] {".gz", ".zst"}) {
            if (s.endsWith(".hprof" + ext)) s = s.substring(0, s.length() - ext.length());
        }
        if (s.endsWith(".hprof")) s = s.substring(0, s.length() - ".hprof".length());
        return Paths.get(s + ".json");
    }

    public static void dumpHeap(String path, boolean live) throws IOException {
        Path p = Paths.get(path).toAbsolutePath();
        Files.deleteIfExists(p); // dumpHeap refuses to overwrite
        if (p.getParent() != null) Files.createDirectories(p.getParent());
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        bean.dumpHeap(p.toString(), live);
    }

    public static void writeSidecar(String dump, Map<String, Object> sidecar) throws IOException {
        Path p = sidecarPath(dump).toAbsolutePath();
        if (p.getParent() != null) Files.createDirectories(p.getParent());
        StringBuilder sb = new StringBuilder();
        json(sb, sidecar, 0);
        sb.append('\n');
        Files.write(p, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The common head of every sidecar. */
    public static Map<String, Object> sidecarHead(String program, boolean live, int count, int payload) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", program);
        m.put("jdk", System.getProperty("java.version"));
        m.put("jdk_major", Runtime.version().feature());
        m.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        m.put("live", live);
        m.put("count", count);
        m.put("payload_bytes", payload);
        return m;
    }

    /**
     * Writes the sidecar, then either dumps the heap itself, or (--wait-for-dump) prints
     * "READY pid" and sleeps until the dump is taken externally (jcmd GC.heap_dump) and the
     * process is killed. The caller keeps every object it counted strongly reachable (or not)
     * across this call.
     */
    public static void finish(Args args, String dump, boolean live, Map<String, Object> sidecar)
            throws Exception {
        boolean external = args.bool("wait-for-dump", false);
        sidecar.put("dumped_by", external
                ? "jcmd GC.heap_dump" + (live ? "" : " -all") + " (external)"
                : "HotSpotDiagnosticMXBean.dumpHeap(live=" + live + ")");
        if (!live) settle(); // collect garbage of our classes so live=false counts stay exact
        writeSidecar(dump, sidecar);
        if (external) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            long deadline = System.nanoTime() + 15L * 60 * 1_000_000_000L; // safety net
            while (System.nanoTime() < deadline) Thread.sleep(1000);
            System.err.println("gave up waiting for an external dump");
            System.exit(3);
        }
        dumpHeap(dump, live);
    }

    // ------------------------------------------------------------------ JSON (tiny writer)

    @SuppressWarnings("unchecked")
    private static void json(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) v;
            if (m.isEmpty()) { sb.append("{}"); return; }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<String, Object> e : m.entrySet()) {
                pad(sb, indent + 2);
                str(sb, e.getKey());
                sb.append(": ");
                json(sb, e.getValue(), indent + 2);
                if (++i < m.size()) sb.append(',');
                sb.append('\n');
            }
            pad(sb, indent);
            sb.append('}');
        } else if (v instanceof List) {
            List<Object> l = (List<Object>) v;
            if (l.isEmpty()) { sb.append("[]"); return; }
            boolean scalars = l.stream().noneMatch(o -> o instanceof Map || o instanceof List);
            if (scalars) {
                sb.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) sb.append(", ");
                    json(sb, l.get(i), indent);
                }
                sb.append(']');
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < l.size(); i++) {
                pad(sb, indent + 2);
                json(sb, l.get(i), indent + 2);
                if (i + 1 < l.size()) sb.append(',');
                sb.append('\n');
            }
            pad(sb, indent);
            sb.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            str(sb, v.toString());
        }
    }

    private static void pad(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) sb.append(' ');
    }

    private static void str(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        sb.append('"');
    }

    public static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    // ------------------------------------------------------------------ reflection

    static Field field(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot open " + c.getName() + "." + name
                    + " (run java with --add-opens java.base/java.lang.ref=ALL-UNNAMED"
                    + " --add-opens java.base/java.util=ALL-UNNAMED"
                    + " --add-opens java.base/java.util.concurrent=ALL-UNNAMED)", e);
        }
    }

    static Object get(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A snapshot of java.lang.ref.Finalizer's bookkeeping restricted to one referent class. */
    public static final class FinalizerCensus {
        /** Finalizers of {@code cls} in the unfinalized list (includes the pending ones). */
        public long unfinalizedList;
        /** Finalizers of {@code cls} in the Finalizer ReferenceQueue (pending finalization). */
        public long queued;
        /** Finalizer ReferenceQueue.queueLength (all classes). */
        public long queueLength;
        /** Number of elements counted while walking the queue (all classes). */
        public long queueWalked;
    }

    public static FinalizerCensus finalizerCensus(Class<?> cls) throws Exception {
        Class<?> fin = Class.forName("java.lang.ref.Finalizer");
        Field queueF = field(fin, "queue");
        Field unfinalizedF = field(fin, "unfinalized");
        Field lockF = field(fin, "lock");
        Field finNext = field(fin, "next"); // the unfinalized-list link (shadows Reference.next)
        Field refNext = field(java.lang.ref.Reference.class, "next"); // the queue link
        Field referent = field(java.lang.ref.Reference.class, "referent");
        Class<?> rq = java.lang.ref.ReferenceQueue.class;
        Field headF = field(rq, "head");
        Field lenF = field(rq, "queueLength");
        Field rqLockF = field(rq, "lock");

        FinalizerCensus c = new FinalizerCensus();
        synchronized (get(lockF, null)) {
            for (Object f = get(unfinalizedF, null); f != null; f = get(finNext, f)) {
                Object r = get(referent, f);
                if (r != null && r.getClass() == cls) c.unfinalizedList++;
            }
        }
        Object q = get(queueF, null);
        synchronized (get(rqLockF, q)) {
            c.queueLength = lenF.getLong(q);
            Object r = get(headF, q);
            while (r != null) {
                c.queueWalked++;
                Object o = get(referent, r);
                if (o != null && o.getClass() == cls) c.queued++;
                Object n = get(refNext, r);
                if (n == r) break; // the last element points to itself
                r = n;
            }
        }
        return c;
    }

    public static Thread thread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) return t;
        }
        throw new IllegalStateException("no thread named " + name);
    }

    public static List<Object> stack(Thread t, int max) {
        List<Object> out = new ArrayList<>();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < st.length && i < max; i++) out.add(st[i].getClassName() + "." + st[i].getMethodName());
        return out;
    }

    static final String[] TIMER_STATES = {"virgin", "scheduled", "executed", "cancelled"};

    /** Walks a java.util.Timer's TaskQueue. */
    public static Map<String, Object> timerCensus(Timer timer) {
        Object taskQueue = get(field(Timer.class, "queue"), timer);
        Thread thread = (Thread) get(field(Timer.class, "thread"), timer);
        Object[] heap = (Object[]) get(field(taskQueue.getClass(), "queue"), taskQueue);
        int size;
        try {
            size = field(taskQueue.getClass(), "size").getInt(taskQueue);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        Field state = field(TimerTask.class, "state");
        long[] counts = new long[4];
        Map<String, Object> taskClasses = new LinkedHashMap<>();
        synchronized (taskQueue) {
            for (int i = 1; i <= size; i++) {
                Object t = heap[i];
                try {
                    counts[state.getInt(t)]++;
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                taskClasses.merge(t.getClass().getName(), 1L, (a, b) -> (Long) a + (Long) b);
            }
        }
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) tasks.put(TIMER_STATES[i], counts[i]);
        String head;
        try {
            head = size == 0 ? null : TIMER_STATES[state.getInt(heap[1])].toUpperCase();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "java.util.Timer");
        m.put("thread_name", thread.getName());
        m.put("thread_state", thread.getState().toString());
        m.put("queue_size", size);
        m.put("capacity", heap.length);
        m.put("tasks", tasks);
        m.put("task_classes", taskClasses);
        m.put("head_state", head);
        return m;
    }

    /** FutureTask.state values (JDK 7+): NEW=0 ... CANCELLED=4, INTERRUPTING=5, INTERRUPTED=6. */
    static final String[] FUTURE_STATES = {"scheduled", "completing", "normal", "exceptional",
            "cancelled", "interrupting", "interrupted"};

    /**
     * Walks a ScheduledThreadPoolExecutor's DelayedWorkQueue. {@code unwrap} maps a queue element
     * to the java.util.concurrent.FutureTask carrying the state (identity for undecorated tasks).
     */
    public static Map<String, Object> executorCensus(ScheduledThreadPoolExecutor ex,
            java.util.function.Function<Object, Future<?>> unwrap) {
        Object dwq = ex.getQueue();
        Object[] heap = (Object[]) get(field(dwq.getClass(), "queue"), dwq);
        int size = ex.getQueue().size();
        Field state = field(java.util.concurrent.FutureTask.class, "state");
        long[] counts = new long[FUTURE_STATES.length];
        Map<String, Object> taskClasses = new LinkedHashMap<>();
        String head = null;
        for (int i = 0; i < size; i++) {
            Object t = heap[i];
            Object ft = unwrap.apply(t);
            int s;
            try {
                s = state.getInt(ft);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            counts[s]++;
            if (i == 0) head = FUTURE_STATES[s].toUpperCase();
            taskClasses.merge(t.getClass().getName(), 1L, (a, b) -> (Long) a + (Long) b);
        }
        Map<String, Object> tasks = new LinkedHashMap<>();
        for (int i = 0; i < counts.length; i++) {
            if (i == 0 || i == 4 || counts[i] != 0) tasks.put(FUTURE_STATES[i], counts[i]);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "java.util.concurrent.ScheduledThreadPoolExecutor");
        m.put("executor_class", ex.getClass().getName());
        m.put("remove_on_cancel", ex.getRemoveOnCancelPolicy());
        m.put("queue_size", size);
        m.put("capacity", heap.length);
        m.put("tasks", tasks);
        m.put("task_classes", taskClasses);
        m.put("head_state", head);
        return m;
    }

    /** Fails loudly when an observed number differs from what the program created. */
    public static void expect(String what, long expected, Object actual) {
        long a = ((Number) actual).longValue();
        if (a != expected) {
            throw new IllegalStateException(what + ": expected " + expected + " but found " + a);
        }
    }

    public static RunnableScheduledFuture<?> cast(Object o) {
        return (RunnableScheduledFuture<?>) o;
    }
}
