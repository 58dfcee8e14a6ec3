package com.example.leak;

import java.util.concurrent.CountDownLatch;

/**
 * A finalizable resource whose finalize() needs a lock that another thread never releases.
 *
 * finalize() first counts down {@link #FINALIZE_STARTED} (so the test program knows the Finalizer
 * thread has picked an object up) and then enters {@code synchronized (CLEANUP_LOCK)}. The program
 * holds that monitor on its "main" thread for its whole life, so the single JVM-wide "Finalizer"
 * thread stays BLOCKED (waiting for monitor entry, owner "main") inside this method and every other
 * finalizable object of the JVM queues up behind it.
 */
public class SlowResource {
    /** Stands in for e.g. a connection pool or logging lock that a stuck thread holds. */
    public static final Object CLEANUP_LOCK = new Object();
    public static final CountDownLatch FINALIZE_STARTED = new CountDownLatch(1);

    private final int id;
    /** Stands in for the native/off-heap state the finalizer is meant to release. */
    private final byte[] buffer;

    public SlowResource(int id, byte[] buffer) {
        this.id = id;
        this.buffer = buffer;
    }

    public int id() {
        return id;
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    protected void finalize() throws Throwable {
        FINALIZE_STARTED.countDown();
        synchronized (CLEANUP_LOCK) { // blocks forever: "main" owns CLEANUP_LOCK
            release();
        }
    }

    private void release() {
        // would free the native handle here
    }
}
