package heapscope.samples;

import com.example.leak.SlowResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * FinalizerBacklog -- a finalize() that blocks, and the Finalizer queue that grows behind it.
 *
 * Incident: the JVM runs every finalize() on ONE daemon thread, "Finalizer". When one finalize()
 * blocks -- typically on a lock (a pool, a logger, a synchronized close() of a socket or JDBC
 * connection) held by a thread that is itself stuck, or on slow I/O -- no other finalizable object
 * is ever finalized again. Each of them (and everything it references) stays in
 * java.lang.ref.Finalizer's ReferenceQueue until the heap is full; thread dumps show "Finalizer"
 * BLOCKED in some finalize() frame and histograms show java.lang.ref.Finalizer near the top.
 *
 * What this program builds:
 *   - --registered L SlowResource objects that stay strongly referenced (static list): "registered"
 *     (in Finalizer.unfinalized, not yet discovered by the GC);
 *   - --count N SlowResource objects with a --payload byte[] each, dropped at once. The GC finds
 *     them and the Reference Handler enqueues their Finalizers; the Finalizer thread takes the
 *     most recently enqueued one, enters its finalize() and BLOCKS on SlowResource.CLEANUP_LOCK,
 *     which main owns for the whole run. Result: N-1 "pending" (in Finalizer.queue AND still in
 *     the unfinalized list) and 1 "being finalized" (in neither; only the Finalizer thread's frames
 *     and its Finalizer's referent point at it).
 * The program waits until the Finalizer queue holds exactly N-1 SlowResource Finalizers and the
 * Finalizer thread is BLOCKED, then dumps while still holding the lock.
 *
 * usage: FinalizerBacklog [--count N] [--registered L] [--payload BYTES] [--dump PATH]
 *                         [--live true|false] [--wait-for-dump]
 */
public final class FinalizerBacklog {
    static final List<SlowResource> LIVE = new ArrayList<>();

    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int count = args.integer("count", 3000);
        int liveObjects = args.integer("registered", 8);
        int payload = args.integer("payload", 1024);
        boolean liveDump = args.bool("live", false);
        String dump = args.string("dump", "FinalizerBacklog.hprof");
        if (count < 1) throw new IllegalArgumentException("--count must be >= 1");

        synchronized (SlowResource.CLEANUP_LOCK) {
            for (int i = 0; i < liveObjects; i++) {
                LIVE.add(new SlowResource(-1 - i, SampleSupport.payload(payload, i)));
            }
            allocateAndDrop(count, payload);

            // Let the GC discover the dropped objects until all of them are in the queue or taken.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Thread finThread = SampleSupport.thread("Finalizer");
            SampleSupport.FinalizerCensus fin;
            while (true) {
                System.gc();
                Thread.sleep(20);
                // The census only after the Finalizer thread is BLOCKED inside finalize(): before
                // that it may have taken a Finalizer off the queue but not yet unlinked it from the
                // unfinalized list, and a census then counts it in that list once too often.
                boolean blocked = SlowResource.FINALIZE_STARTED.getCount() == 0
                        && finThread.getState() == Thread.State.BLOCKED;
                fin = SampleSupport.finalizerCensus(SlowResource.class);
                if (blocked && fin.queued == count - 1) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("finalizer backlog did not build up: queued="
                            + fin.queued + " state=" + finThread.getState());
                }
            }
            SampleSupport.expect("SlowResource Finalizers in the unfinalized list",
                    liveObjects + count - 1, fin.unfinalizedList);

            Map<String, Object> s = SampleSupport.sidecarHead("FinalizerBacklog", liveDump, count, payload);
            s.put("registered_objects", liveObjects);
            s.put("classes", SampleSupport.map(SlowResource.class.getName(), (long) liveObjects + count));
            s.put("finalizer", SampleSupport.map(
                    "registered", fin.unfinalizedList - fin.queued,
                    "pending", fin.queued,
                    "being_finalized", 1L,
                    "unfinalized_list", fin.unfinalizedList,
                    "finalize_class", SlowResource.class.getName(),
                    "referent_class", SlowResource.class.getName(),
                    "finalizer_thread_state", finThread.getState().toString(),
                    "finalizer_thread_stack", SampleSupport.stack(finThread, 8),
                    "blocked_on", "monitor of java.lang.Object SlowResource.CLEANUP_LOCK owned by thread \"main\"",
                    "queue_length_all_classes", fin.queueLength));
            SampleSupport.finish(args, dump, liveDump, s);
        }
    }

    /** Separate frame so that no local of main() keeps a dropped object alive. */
    private static void allocateAndDrop(int count, int payload) {
        for (int i = 0; i < count; i++) {
            new SlowResource(i, SampleSupport.payload(payload, i));
        }
    }
}
