package com.example.leak;

import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decorated scheduled task: remembers what was submitted, by whom and when (for tracing), and
 * delegates everything else to the executor's own ScheduledFutureTask. The state (scheduled /
 * cancelled) lives in the delegate ({@code java.util.concurrent.FutureTask.state}).
 */
public class TracedScheduledFuture<V> implements RunnableScheduledFuture<V> {
    private final Object command;
    private final RunnableScheduledFuture<V> delegate;
    private final String submitter;
    private final long submittedNanos;

    public TracedScheduledFuture(Object command, RunnableScheduledFuture<V> delegate) {
        this.command = command;
        this.delegate = delegate;
        this.submitter = Thread.currentThread().getName();
        this.submittedNanos = System.nanoTime();
    }

    @Override
    public void run() {
        delegate.run(); // a tracing layer would open a span for `command` here
    }

    @Override
    public boolean isPeriodic() {
        return delegate.isPeriodic();
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return delegate.getDelay(unit);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other instanceof TracedScheduledFuture) {
            return delegate.compareTo(((TracedScheduledFuture<?>) other).delegate);
        }
        return delegate.compareTo(other);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return delegate.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return delegate.isCancelled();
    }

    @Override
    public boolean isDone() {
        return delegate.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        return delegate.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return delegate.get(timeout, unit);
    }

    public Object command() {
        return command;
    }

    public RunnableScheduledFuture<V> delegate() {
        return delegate;
    }

    @Override
    public String toString() {
        return "Traced[" + command + " from " + submitter + "]";
    }
}
