package heapscope.samples;

import com.example.leak.SlowResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.TimeUnit;

/**
 * TrendLeak -- a slow leak seen through several dumps of one JVM (for `heapscope diff` and
 * `heapscope trend`).
 *
 * Two leaks grow in --steps steps; after each step the program dumps the heap
 * (OUT-step1.hprof, OUT-step2.hprof, ...) and records what it knows in one sidecar (OUT.json):
 *   - a java.util.Timer (thread "heapscope-trend-timer") whose head task is SCHEDULED an hour
 *     ahead; each step schedules --tasks T tasks two hours ahead and cancels them without
 *     Timer.purge(): after step k the queue holds 1 scheduled and k*T cancelled tasks, each
 *     cancelled task holding a --payload byte[] that nothing else references;
 *   - the FinalizerBacklog pattern: the Finalizer thread is BLOCKED in SlowResource.finalize()
 *     (main holds SlowResource.CLEANUP_LOCK); each step drops --dropped F SlowResources (after
 *     step k: k*F-1 pending, 1 being finalized) and keeps --kept R more (k*R registered).
 * The sidecar's "steps" list the counts and the wall-clock time of each dump; the dumps' own
 * header timestamps are what `trend` uses, and what the tests compute the expected rate from.
 *
 * usage: TrendLeak [--steps S] [--tasks T] [--dropped F] [--kept R] [--payload BYTES]
 *                  [--pause-ms MS] [--dump OUT.hprof]
 */
public final class TrendLeak {
    static final String TIMER_THREAD = "heapscope-trend-timer";
    static final List<SlowResource> KEPT = new ArrayList<>();
    static final Timer TIMER = new Timer(TIMER_THREAD, true);

    /** The task class the cancelled tasks are made of; its payload stands in for a request. */
    static final class TrendTask extends TimerTask {
        final byte[] payload;

        TrendTask(byte[] payload) {
            this.payload = payload;
        }

        @Override
        public void run() {}
    }

    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int steps = args.integer("steps", 4);
        int tasks = args.integer("tasks", 500);
        int dropped = args.integer("dropped", 300);
        int kept = args.integer("kept", 5);
        int payload = args.integer("payload", 512);
        int pauseMs = args.integer("pause-ms", 700);
        String dump = args.string("dump", "TrendLeak.hprof");
        if (steps < 2 || dropped < 2) throw new IllegalArgumentException("--steps and --dropped must be >= 2");
        String base = dump.endsWith(".hprof") ? dump.substring(0, dump.length() - 6) : dump;

        TIMER.schedule(new TrendTask(new byte[0]), TimeUnit.HOURS.toMillis(1));
        Thread finThread = SampleSupport.thread("Finalizer");
        List<Object> stepList = new ArrayList<>();
        Map<String, Object> s = SampleSupport.sidecarHead("TrendLeak", false, tasks, payload);
        synchronized (SlowResource.CLEANUP_LOCK) {
            for (int step = 1; step <= steps; step++) {
                if (step > 1) Thread.sleep(pauseMs);
                grow(step, tasks, dropped, kept, payload);
                long pending = (long) step * dropped - 1;
                SampleSupport.FinalizerCensus fin = waitForBacklog(pending, finThread);
                Map<String, Object> timer = SampleSupport.timerCensus(TIMER);
                @SuppressWarnings("unchecked")
                Map<String, Object> counts = (Map<String, Object>) timer.get("tasks");
                SampleSupport.expect("cancelled tasks", (long) step * tasks, counts.get("cancelled"));
                SampleSupport.expect("scheduled tasks", 1, counts.get("scheduled"));
                SampleSupport.expect("registered", (long) step * kept, fin.unfinalizedList - fin.queued);

                String path = base + "-step" + step + ".hprof";
                SampleSupport.settle();
                long wall = System.currentTimeMillis();
                SampleSupport.dumpHeap(path, false);
                stepList.add(SampleSupport.map(
                        "step", step,
                        "dump", path.substring(path.lastIndexOf('/') + 1),
                        "wall_ms", wall,
                        "timer_cancelled", (long) step * tasks,
                        "timer_held_only_payload_bytes_per_task", payload,
                        "finalizer_pending", pending,
                        "finalizer_being_finalized", 1L,
                        "finalizer_registered", (long) step * kept,
                        "slow_resources", (long) step * (dropped + kept)));
            }
        }
        s.put("steps_count", steps);
        s.put("tasks_per_step", tasks);
        s.put("dropped_per_step", dropped);
        s.put("kept_per_step", kept);
        s.put("timer_thread", TIMER_THREAD);
        s.put("task_class", TrendTask.class.getName());
        s.put("finalizable_class", SlowResource.class.getName());
        s.put("dumped_by", "HotSpotDiagnosticMXBean.dumpHeap(live=false)");
        s.put("steps", stepList);
        SampleSupport.writeSidecar(dump, s);
    }

    /** Separate frame so that no local of main() keeps a dropped object or task alive. */
    private static void grow(int step, int tasks, int dropped, int kept, int payload) {
        for (int i = 0; i < tasks; i++) {
            TrendTask t = new TrendTask(SampleSupport.payload(payload, step * 7 + i));
            TIMER.schedule(t, TimeUnit.HOURS.toMillis(2) + i);
            t.cancel(); // no Timer.purge(): the task stays in the queue
        }
        for (int i = 0; i < kept; i++) {
            KEPT.add(new SlowResource(-1 - KEPT.size(), SampleSupport.payload(payload, i)));
        }
        for (int i = 0; i < dropped; i++) {
            new SlowResource(step * 100000 + i, SampleSupport.payload(payload, i));
        }
    }

    /** Until every dropped SlowResource is queued for finalization (one is being finalized). */
    private static SampleSupport.FinalizerCensus waitForBacklog(long pending, Thread finThread)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            System.gc();
            Thread.sleep(20);
            SampleSupport.FinalizerCensus fin = SampleSupport.finalizerCensus(SlowResource.class);
            if (SlowResource.FINALIZE_STARTED.getCount() == 0 && fin.queued == pending
                    && finThread.getState() == Thread.State.BLOCKED) {
                return fin;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("finalizer backlog did not build up: queued="
                        + fin.queued + " of " + pending + " state=" + finThread.getState());
            }
        }
    }
}
