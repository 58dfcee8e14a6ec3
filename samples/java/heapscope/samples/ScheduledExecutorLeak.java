package heapscope.samples;

import com.example.leak.NamedThreadFactory;
import com.example.leak.RequestContext;
import com.example.leak.RequestTimeout;
import com.example.leak.TracedScheduledFuture;
import com.example.leak.TracingScheduledExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * ScheduledExecutorLeak -- cancelled timeouts piling up in a ScheduledThreadPoolExecutor.
 *
 * Incident: servers schedule a timeout per request on a ScheduledThreadPoolExecutor and cancel it
 * when the request completes. With the default removeOnCancel=false (setRemoveOnCancelPolicy was
 * only added in Java 7, after JDK bug 6602600), Future.cancel() leaves the task in the
 * DelayedWorkQueue until its delay expires; with long timeouts and high request rates the queue
 * holds millions of dead tasks. On JDK 6 each of them kept its Runnable and the whole request
 * alive. Since JDK 7, FutureTask.cancel() nulls the task's callable, so a plain cancelled
 * ScheduledFutureTask retains only itself -- unless the executor decorates its tasks
 * (decorateTask, as tracing/MDC/metrics wrappers do) and the wrapper keeps the command: then the
 * request is retained exactly as before.
 *
 * This program runs both, --count N requests each, one thread per executor, delay 3000 s:
 *   "acme-timeout-scheduler": a plain ScheduledThreadPoolExecutor; requests i % 10 != 9 are
 *       cancelled (future.cancel(false)) and dropped, so the heap head (request 0) is CANCELLED.
 *       Cancelled tasks stay queued but their RequestContexts are garbage (collected before the
 *       dump).
 *   "acme-traced-scheduler": a TracingScheduledExecutor (decorateTask -> TracedScheduledFuture);
 *       requests i % 10 != 0 are cancelled, the head (request 0) is SCHEDULED. Every cancelled
 *       wrapper keeps its RequestTimeout -> RequestContext -> body byte[] alive.
 * Futures of requests still running are kept in a static list (the application may still cancel
 * them).
 *
 * usage: ScheduledExecutorLeak [--count N] [--payload BYTES] [--dump PATH] [--live true|false]
 *                              [--timeout-seconds S] [--wait-for-dump]
 */
public final class ScheduledExecutorLeak {
    static ScheduledThreadPoolExecutor plain;
    static TracingScheduledExecutor traced;
    static final List<Future<?>> RUNNING = new ArrayList<>();

    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int count = args.integer("count", 2000);
        int payload = args.integer("payload", 1024);
        int timeoutSeconds = args.integer("timeout-seconds", 3000);
        boolean live = args.bool("live", false);
        String dump = args.string("dump", "ScheduledExecutorLeak.hprof");

        plain = new ScheduledThreadPoolExecutor(1, new NamedThreadFactory("acme-timeout-scheduler"));
        traced = new TracingScheduledExecutor(1, new NamedThreadFactory("acme-traced-scheduler"));
        // removeOnCancel stays false (the default)

        long plainScheduled = submit(plain, count, payload, timeoutSeconds, 9, 0);
        long tracedScheduled = submit(traced, count, payload, timeoutSeconds, 0, count);
        long plainCancelled = count - plainScheduled;
        long tracedCancelled = count - tracedScheduled;
        SampleSupport.settle(); // the plain executor's cancelled requests are garbage now

        String sft = "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask";
        String ctx = RequestContext.class.getName();
        String cmd = RequestTimeout.class.getName();

        Map<String, Object> a = SampleSupport.executorCensus(plain, o -> (Future<?>) o);
        a.put("thread_name", "acme-timeout-scheduler");
        check(a, count, plainScheduled, plainCancelled, "CANCELLED");
        a.put("thread_state", SampleSupport.thread("acme-timeout-scheduler").getState().toString());
        a.put("task_class", sft);
        a.put("runnable_class", cmd);
        // FutureTask.cancel() nulls `callable`: a cancelled plain task keeps nothing alive
        a.put("held_only_by_cancelled", SampleSupport.map(ctx, 0L, cmd, 0L));
        a.put("held_only_by_cancelled_all", SampleSupport.map());

        Map<String, Object> b = SampleSupport.executorCensus(traced,
                o -> (Future<?>) ((TracedScheduledFuture<?>) o).delegate());
        b.put("thread_name", "acme-traced-scheduler");
        check(b, count, tracedScheduled, tracedCancelled, "SCHEDULED");
        b.put("thread_state", SampleSupport.thread("acme-traced-scheduler").getState().toString());
        b.put("task_class", TracedScheduledFuture.class.getName());
        b.put("state_from", sft + " (TracedScheduledFuture.delegate), FutureTask.state");
        b.put("runnable_class", cmd);
        b.put("held_only_by_cancelled", SampleSupport.map(ctx, tracedCancelled, cmd, tracedCancelled));
        // per cancelled wrapper: its delegate ScheduledFutureTask, the RequestTimeout, the
        // RequestContext, the request id String and its byte[], the body byte[]
        b.put("held_only_by_cancelled_all", SampleSupport.map(
                sft, tracedCancelled,
                cmd, tracedCancelled,
                ctx, tracedCancelled,
                "java.lang.String", tracedCancelled,
                "byte[]", 2 * tracedCancelled));

        Map<String, Object> s = SampleSupport.sidecarHead("ScheduledExecutorLeak", live, count, payload);
        long contexts = plainScheduled + count;
        s.put("classes", SampleSupport.map(
                ctx, contexts,
                cmd, contexts,
                TracedScheduledFuture.class.getName(), (long) count,
                TracingScheduledExecutor.class.getName(), 1L,
                NamedThreadFactory.class.getName(), 2L));
        s.put("timers", List.of(a, b));
        SampleSupport.finish(args, dump, live, s);
    }

    /**
     * Schedules count request timeouts; request i stays scheduled iff i % 10 == keep.
     * Returns how many stay scheduled.
     */
    private static long submit(ScheduledThreadPoolExecutor ex, int count, int payload, int timeoutSeconds,
            int keep, int idBase) {
        long kept = 0;
        for (int i = 0; i < count; i++) {
            RequestContext rc = new RequestContext("req-" + (idBase + i), System.nanoTime(),
                    SampleSupport.payload(payload, idBase + i));
            ScheduledFuture<?> f = ex.schedule(new RequestTimeout(rc), timeoutSeconds, TimeUnit.SECONDS);
            if (i % 10 == keep) {
                RUNNING.add(f);
                kept++;
            } else {
                f.cancel(false); // request completed in time
            }
        }
        return kept;
    }

    private static void check(Map<String, Object> census, int size, long scheduled, long cancelled, String head) {
        SampleSupport.expect("queue size", size, census.get("queue_size"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tasks = (Map<String, Object>) census.get("tasks");
        SampleSupport.expect("scheduled", scheduled, tasks.get("scheduled"));
        SampleSupport.expect("cancelled", cancelled, tasks.get("cancelled"));
        if (!head.equals(census.get("head_state"))) {
            throw new IllegalStateException("head is " + census.get("head_state") + ", expected " + head);
        }
    }
}
