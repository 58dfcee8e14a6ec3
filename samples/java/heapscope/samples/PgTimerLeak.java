package heapscope.samples;

import org.postgresql.Driver;
import org.postgresql.jdbc2.AbstractJdbc2Statement;
import org.postgresql.jdbc3g.Jdbc3gPreparedStatement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PgTimerLeak -- the PostgreSQL JDBC driver statement-timeout leak.
 *
 * Incident: pgjdbc 9.x drivers implemented Statement.setQueryTimeout() with a TimerTask scheduled
 * on one driver-wide java.util.Timer; when the query finished or the statement was closed the
 * task was only cancel()ed. TimerTask.cancel() just marks the task CANCELLED; java.util.Timer
 * removes a cancelled task only when it reaches the head of its queue or when Timer.purge() is
 * called. With one long timeout for every query (here 3000 s) and a task at the head that is
 * still SCHEDULED (a long-running query), every later cancelled task -- and, through the
 * anonymous task's this$0, its closed statement with all its buffers -- stays in the Timer's
 * TaskQueue for up to the timeout. Busy applications accumulated millions of them and ran out of
 * heap. The driver later called Timer.purge() after cancelling (pgjdbc pull request #122,
 * "release cancelled timers to be garbage collected", 2014) and moved the timer into a shared,
 * reference-counted "PostgreSQL-JDBC-SharedTimer-N" (pull request #197).
 *
 * What this program builds (all deterministic, nothing of ours is garbage at dump time):
 *   - 1 in-flight statement whose task is scheduled FIRST: a SCHEDULED task at the heap head;
 *   - --count N statements executed and closed: their tasks are CANCELLED and the statements
 *     are reachable only through those tasks (and their Finalizers, which are not strong);
 *   - --open K statements still executing (held in a static list, tasks SCHEDULED),
 *     spread evenly among the closed ones.
 * Every statement is finalizable (AbstractJdbc2Statement overrides finalize()), so there are
 * 1+N+K Finalizers in the unfinalized list and none pending.
 *
 * usage: PgTimerLeak [--count N] [--open K] [--payload BYTES] [--dump PATH] [--live true|false]
 *                    [--timeout-seconds S] [--wait-for-dump]
 */
public final class PgTimerLeak {
    /** The application still uses these (queries running). */
    static final List<AbstractJdbc2Statement> OPEN = new ArrayList<>();
    /** A nightly report query that runs for hours: its cancel task sits at the heap head. */
    static AbstractJdbc2Statement inFlight;

    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int count = args.integer("count", 2000);
        int open = args.integer("open", 16);
        int payload = args.integer("payload", 1024);
        int timeoutSeconds = args.integer("timeout-seconds", 3000);
        boolean live = args.bool("live", false);
        String dump = args.string("dump", "PgTimerLeak.hprof");

        run(count, open, payload, timeoutSeconds);
        SampleSupport.settle();

        int total = 1 + count + open;
        String stmtClass = Jdbc3gPreparedStatement.class.getName();
        String taskClass = AbstractJdbc2Statement.class.getName() + "$1";

        // --- check what we built against the JDK's own data structures
        Map<String, Object> timer = SampleSupport.timerCensus(Driver.getSharedTimer());
        SampleSupport.expect("queue size", total, timer.get("queue_size"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tasks = (Map<String, Object>) timer.get("tasks");
        SampleSupport.expect("scheduled tasks", 1 + open, tasks.get("scheduled"));
        SampleSupport.expect("cancelled tasks", count, tasks.get("cancelled"));
        if (!"SCHEDULED".equals(timer.get("head_state"))) {
            throw new IllegalStateException("head task is " + timer.get("head_state"));
        }
        timer.put("task_class", taskClass);
        timer.put("held_only_by_cancelled", SampleSupport.map(stmtClass, (long) count));
        // Full closure of what the cancelled tasks alone keep alive (every object that becomes
        // unreachable when the CANCELLED tasks are deleted from the graph, the tasks excluded;
        // Reference.referent is not a strong edge): per cancelled task its TimerTask.lock Object,
        // its closed statement, the statement's SQL String with its byte[] and the resultBuffer.
        timer.put("held_only_by_cancelled_all", SampleSupport.map(
                stmtClass, (long) count,
                "java.lang.Object", (long) count,
                "java.lang.String", (long) count,
                "byte[]", 2L * count));
        timer.put("timeout_ms", timeoutSeconds * 1000L);

        SampleSupport.FinalizerCensus fin = SampleSupport.finalizerCensus(Jdbc3gPreparedStatement.class);
        SampleSupport.expect("statements in Finalizer.unfinalized", total, fin.unfinalizedList);
        SampleSupport.expect("statements in Finalizer.queue", 0, fin.queued);
        Thread finThread = SampleSupport.thread("Finalizer");

        Map<String, Object> s = SampleSupport.sidecarHead("PgTimerLeak", live, count, payload);
        s.put("open", open);
        s.put("in_flight", 1);
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

    /** Kept out of main() so that no stack slot of main() points at a closed statement. */
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
            // exactly `open` statements, spread evenly, stay open
            boolean keepOpen = (long) i * open / total != (long) (i + 1) * open / total;
            if (keepOpen) {
                OPEN.add(st);
            } else {
                st.close(); // cancels the task, no Timer.purge()
            }
        }
        if (OPEN.size() != open) throw new IllegalStateException("open " + OPEN.size());
    }
}
