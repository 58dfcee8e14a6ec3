package heapscope.samples;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * CleanerLeak -- java.lang.ref.Cleaner actions registered right and wrong, and a stuck one.
 *
 * Incident: finalize() is deprecated for removal (JEP 421), libraries move to Cleaner. A cleaning
 * action that references the object it cleans -- a lambda that captures {@code this}, an inner
 * class, a state object with a pointer back to its owner -- keeps that object strongly reachable
 * from the Cleaner's own list: it is never cleaned and never collected. And, as with finalize(),
 * one action that blocks stops every later action of its Cleaner.
 *
 * What this program builds:
 *   - Cleaner "app-cleaner":
 *       --good G  GoodResource kept live, registered with a static nested State holding only the
 *                 handle (the correct pattern), plus G GoodResource dropped (cleaned and gone);
 *       --wrong W LambdaResource (lambda capturing this), W InnerResource (inner class),
 *                 W SharedStateResource (static nested state whose field points back), all
 *                 dropped: never cleanable, each keeps a --payload byte[] alive;
 *   - Cleaner "stuck-cleaner": --stuck S BlockingResource dropped; the cleaner thread takes one,
 *     its action blocks on LOCK (owned by main): S-1 stay pending in the Cleaner's queue, 1 is
 *     being cleaned; plus 2 BlockingResource kept live (registered);
 *   - --buffers B direct ByteBuffers kept live (jdk.internal.ref.Cleaner, Deallocator thunks).
 * The sidecar's numbers come from walking the Cleaners' lists and queues by reflection right
 * before the dump (needs --add-opens java.base/jdk.internal.ref=ALL-UNNAMED).
 *
 * usage: CleanerLeak [--good G] [--wrong W] [--stuck S] [--buffers B] [--payload BYTES]
 *                    [--dump PATH] [--live true|false] [--wait-for-dump]
 */
public final class CleanerLeak {
    static final Object LOCK = new Object();
    static final CountDownLatch ACTION_STARTED = new CountDownLatch(1);
    static final List<Object> LIVE = new ArrayList<>();

    static Cleaner named(String name) {
        return Cleaner.create(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    static void release(long handle) {
        // would free native memory here
    }

    /** Correct: the action is a static nested class holding only the native handle. */
    public static final class GoodResource {
        final byte[] buffer;
        final Cleaner.Cleanable cleanable;

        static final class State implements Runnable {
            final long handle;
            State(long handle) { this.handle = handle; }
            @Override public void run() { release(handle); }
        }

        GoodResource(Cleaner c, long handle, byte[] buffer) {
            this.buffer = buffer;
            this.cleanable = c.register(this, new State(handle));
        }
    }

    /** Wrong: the lambda reads a field, so it captures this. */
    public static final class LambdaResource {
        final long handle;
        final byte[] buffer;

        LambdaResource(Cleaner c, long handle, byte[] buffer) {
            this.handle = handle;
            this.buffer = buffer;
            c.register(this, () -> release(this.handle));
        }
    }

    /** Wrong: an inner (non-static) class keeps its outer instance. */
    public static final class InnerResource {
        final long handle;
        final byte[] buffer;

        final class Releaser implements Runnable {
            @Override public void run() { release(handle); }
        }

        InnerResource(Cleaner c, long handle, byte[] buffer) {
            this.handle = handle;
            this.buffer = buffer;
            c.register(this, new Releaser());
        }
    }

    /** Wrong: a static nested state object, but it points back to its owner. */
    public static final class SharedStateResource {
        final byte[] buffer;
        final State state;

        static final class State implements Runnable {
            final long handle;
            SharedStateResource owner;
            State(long handle) { this.handle = handle; }
            @Override public void run() { release(handle); }
        }

        SharedStateResource(Cleaner c, long handle, byte[] buffer) {
            this.buffer = buffer;
            this.state = new State(handle);
            c.register(this, state);
            state.owner = this;
        }
    }

    /** Correct registration, but its action blocks on LOCK, which main holds. */
    public static final class BlockingResource {
        final byte[] buffer;

        static final class Action implements Runnable {
            final long handle;
            Action(long handle) { this.handle = handle; }
            @Override public void run() {
                ACTION_STARTED.countDown();
                synchronized (LOCK) {
                    release(handle);
                }
            }
        }

        BlockingResource(Cleaner c, long handle, byte[] buffer) {
            this.buffer = buffer;
            c.register(this, new Action(handle));
        }
    }

    public static void main(String[] argv) throws Exception {
        SampleSupport.Args args = new SampleSupport.Args(argv);
        int good = args.integer("good", 40);
        int wrong = args.integer("wrong", 20);
        int stuck = args.integer("stuck", 12);
        int buffers = args.integer("buffers", 5);
        int payload = args.integer("payload", 1024);
        boolean liveDump = args.bool("live", false);
        String dump = args.string("dump", "CleanerLeak.hprof");
        if (stuck < 2) throw new IllegalArgumentException("--stuck must be >= 2");

        Cleaner app = named("app-cleaner");
        Cleaner stuckCleaner = named("stuck-cleaner");
        List<ByteBuffer> direct = new ArrayList<>();
        for (int i = 0; i < buffers; i++) direct.add(ByteBuffer.allocateDirect(4096));
        LIVE.add(direct);

        synchronized (LOCK) {
            for (int i = 0; i < good; i++) LIVE.add(new GoodResource(app, i, SampleSupport.payload(payload, i)));
            LIVE.add(new BlockingResource(stuckCleaner, -1, SampleSupport.payload(payload, 1)));
            LIVE.add(new BlockingResource(stuckCleaner, -2, SampleSupport.payload(payload, 2)));
            allocateAndDrop(app, stuckCleaner, good, wrong, stuck, payload);

            Thread stuckThread = SampleSupport.thread("stuck-cleaner");
            Thread appThread = SampleSupport.thread("app-cleaner");
            String[] appClasses = {GoodResource.class.getName(), LambdaResource.class.getName(),
                    InnerResource.class.getName(), SharedStateResource.class.getName()};
            long[] appExpected = {good, wrong, wrong, wrong};
            CleanerCensus.Census appCensus, stuckCensus;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                System.gc();
                Thread.sleep(20);
                appCensus = CleanerCensus.of(app);
                stuckCensus = CleanerCensus.of(stuckCleaner);
                boolean appDone = appCensus.pending == 0 && appCensus.onList() == good + 3L * wrong;
                boolean stuckDone = ACTION_STARTED.getCount() == 0 && stuckCensus.pending == stuck - 1
                        && stuckThread.getState() == Thread.State.BLOCKED;
                if (appDone && stuckDone) break;
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cleaners did not settle: app on list="
                            + appCensus.onList() + " pending=" + appCensus.pending + ", stuck pending="
                            + stuckCensus.pending + " state=" + stuckThread.getState());
                }
            }
            for (int i = 0; i < appClasses.length; i++) {
                SampleSupport.expect(appClasses[i] + " on app-cleaner's list", appExpected[i],
                        appCensus.byClass.getOrDefault(appClasses[i], 0L));
            }
            SampleSupport.expect("BlockingResource registered", 2,
                    stuckCensus.registeredByClass.getOrDefault(BlockingResource.class.getName(), 0L));
            long ourBuffers = CleanerCensus.directBuffersAmong(direct);
            SampleSupport.expect("direct buffers on jdk.internal.ref.Cleaner's list", buffers, ourBuffers);

            Map<String, Object> s = SampleSupport.sidecarHead("CleanerLeak", liveDump, good + 3 * wrong + stuck, payload);
            s.put("cleaners", List.of(
                    appCensus.toSidecar("app-cleaner", appThread, Map.of(
                            GoodResource.class.getName(), 0L, LambdaResource.class.getName(), (long) wrong,
                            InnerResource.class.getName(), (long) wrong,
                            SharedStateResource.class.getName(), (long) wrong)),
                    stuckCensus.toSidecar("stuck-cleaner", stuckThread, Map.of(BlockingResource.class.getName(), 0L))));
            s.put("stuck_action_class", BlockingResource.Action.class.getName());
            s.put("direct_buffers", SampleSupport.map(
                    "ours", ourBuffers,
                    "list_length", CleanerCensus.directBufferListLength()));
            SampleSupport.finish(args, dump, liveDump, s);
        }
    }

    /** Separate frame so that no local of main() keeps a dropped object alive. */
    private static void allocateAndDrop(Cleaner app, Cleaner stuckCleaner, int good, int wrong, int stuck,
            int payload) {
        for (int i = 0; i < good; i++) new GoodResource(app, 1000 + i, SampleSupport.payload(payload, i));
        for (int i = 0; i < wrong; i++) {
            new LambdaResource(app, 2000 + i, SampleSupport.payload(payload, i));
            new InnerResource(app, 3000 + i, SampleSupport.payload(payload, i));
            new SharedStateResource(app, 4000 + i, SampleSupport.payload(payload, i));
        }
        for (int i = 0; i < stuck; i++) new BlockingResource(stuckCleaner, 5000 + i, SampleSupport.payload(payload, i));
    }
}
