package heapscope.samples;

import org.postgresql.Driver;
import org.postgresql.jdbc2.AbstractJdbc2Statement;
import org.postgresql.jdbc3g.Jdbc3gPreparedStatement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CleanControl -- the PgTimerLeak classes used the way the fixed driver uses them: no leak.
 *
 * Same driver classes, same shared "PostgreSQL-JDBC-SharedTimer-1" Timer, same finalizable
 * statement class, same query pattern as PgTimerLeak -- but with the pgjdbc fix switched on:
 * closing a statement cancels its timeout task AND calls Timer.purge() (pgjdbc pull request
 * #122). So the TaskQueue holds only the SCHEDULED tasks of queries still running, closed
 * statements become unreachable, their finalize() runs (the Finalizer thread is idle), and the
 * GC frees them. The program waits for all of that before dumping, so an analyzer should find a
 * Timer, a finalizable class, and nothing to complain about: 0 cancelled tasks, 0 pending
 * finalizers.
 *
 * What is in the dump: 1 in-flight statement + --open K open statements (static references,
 * SCHEDULED tasks, registered Finalizers); the --count N closed statements are gone.
 * --cache E adds E live HashMap<Long, byte[--cache-payload]> entries of ordinary application data
 * (JDK classes only), to make a big heap without a leak for benchmarks.
 *
 * usage: CleanControl [--count N] [--open K] [--payload BYTES] [--dump PATH] [--live true|false]
 *                     [--timeout-seconds S] [--cache E] [--cache-payload BYTES] [--wait-for-dump]
 */
public final class CleanControl {
    static final List<AbstractJdbc2Statement> OPEN = new ArrayList<>();
    static AbstractJdbc2Statement inFlight;
    /** Ordinary live application data (ballast for the large variant). */
    static HashMap<Long, byte[]> cache;

    @SuppressWarnings({"deprecation", "removal"})
    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int count = args.integer("count", 2000);
        int open = args.integer("open", 16);
        int payload = args.integer("payload", 1024);
        int timeoutSeconds = args.integer("timeout-seconds", 3000);
        boolean live = args.bool("live", false);
        String dump = args.string("dump", "CleanControl.hprof");
        int cacheEntries = args.integer("cache", 0);
        int cachePayload = args.integer("cache-payload", 150);

        cache = new HashMap<>(Math.max(16, (int) (cacheEntries / 0.75f) + 1));
        for (int i = 0; i < cacheEntries; i++) {
            cache.put((long) i, SampleSupport.payload(cachePayload, i));
        }

        AbstractJdbc2Statement.purgeOnCancel = true; // the fixed driver
        run(count, open, payload, timeoutSeconds);

        // Let the closed statements be finalized and collected.
        int total = 1 + open;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        SampleSupport.FinalizerCensus fin;
        while (true) {
            System.gc();
            System.runFinalization();
            fin = SampleSupport.finalizerCensus(Jdbc3gPreparedStatement.class);
            if (fin.unfinalizedList == total && fin.queued == 0 && fin.queueLength == 0) break;
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("statements not finalized: unfinalized="
                        + fin.unfinalizedList + " queued=" + fin.queued);
            }
            Thread.sleep(20);
        }
        SampleSupport.settle(); // finalized statements are now plain garbage: collect them

        String stmtClass = Jdbc3gPreparedStatement.class.getName();
        String taskClass = AbstractJdbc2Statement.class.getName() + "$1";
        Map<String, Object> timer = SampleSupport.timerCensus(Driver.getSharedTimer());
        SampleSupport.expect("queue size", total, timer.get("queue_size"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tasks = (Map<String, Object>) timer.get("tasks");
        SampleSupport.expect("scheduled tasks", total, tasks.get("scheduled"));
        SampleSupport.expect("cancelled tasks", 0, tasks.get("cancelled"));
        timer.put("task_class", taskClass);
        timer.put("held_only_by_cancelled", SampleSupport.map(stmtClass, 0L));
        timer.put("held_only_by_cancelled_all", SampleSupport.map());
        timer.put("timeout_ms", timeoutSeconds * 1000L);

        fin = SampleSupport.finalizerCensus(Jdbc3gPreparedStatement.class);
        SampleSupport.expect("statements in Finalizer.unfinalized", total, fin.unfinalizedList);
        Thread finThread = SampleSupport.thread("Finalizer");

        Map<String, Object> s = SampleSupport.sidecarHead("CleanControl", live, count, payload);
        s.put("open", open);
        s.put("in_flight", 1);
        s.put("cache_entries", cacheEntries);
        s.put("cache_payload_bytes", cachePayload);
        s.put("classes", SampleSupport.map(
                stmtClass, (long) total,
                taskClass, (long) total,
                AbstractJdbc2Statement.class.getName(), 0L,
                Driver.class.getName(), 1L));
        s.put("finalizer", SampleSupport.map(
                "registered", fin.unfinalizedList - fin.queued,
                "pending", fin.queued,
                "being_finalized", 0L,
                "unfinalized_list", fin.unfinalizedList,
                "finalize_class", AbstractJdbc2Statement.class.getName(),
                "referent_class", stmtClass,
                "finalizer_thread_state", finThread.getState().toString(),
                "finalizer_thread_stack", SampleSupport.stack(finThread, 8),
                "queue_length_all_classes", fin.queueLength));
        s.put("timers", List.of(timer));
        SampleSupport.finish(args, dump, live, s);
    }

    private static void run(int count, int open, int payload, int timeoutSeconds) {
        inFlight = new Jdbc3gPreparedStatement(
                "SELECT * FROM nightly_report_v WHERE day = ?", 0, SampleSupport.payload(payload, 0));
        inFlight.setQueryTimeout(timeoutSeconds);
        inFlight.execute();

        int total = count + open;
        for (int i = 0; i < total; i++) {
            Jdbc3gPreparedStatement st = new Jdbc3gPreparedStatement(
                    "SELECT * FROM orders WHERE customer_id = " + i, i + 1,
                    SampleSupport.payload(payload, i + 1));
            st.setQueryTimeout(timeoutSeconds);
            st.setFetchSize(100);
            st.execute();
            boolean keepOpen = (long) i * open / total != (long) (i + 1) * open / total;
            if (keepOpen) {
                OPEN.add(st);
            } else {
                st.close(); // cancel + Timer.purge()
            }
        }
        if (OPEN.size() != open) throw new IllegalStateException("open " + OPEN.size());
    }
}
