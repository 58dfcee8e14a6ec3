package com.example.leak;

import java.util.concurrent.Callable;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

/**
 * A ScheduledThreadPoolExecutor that wraps every task in a {@link TracedScheduledFuture}
 * (the documented {@code decorateTask} hook, used by tracing/MDC/metrics layers). The wrapper keeps
 * the submitted command, so a cancelled-but-queued task keeps its request alive -- unlike a plain
 * ScheduledFutureTask, which drops its callable when cancelled.
 */
public class TracingScheduledExecutor extends ScheduledThreadPoolExecutor {
    public TracingScheduledExecutor(int corePoolSize, ThreadFactory threadFactory) {
        super(corePoolSize, threadFactory);
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Runnable runnable, RunnableScheduledFuture<V> task) {
        return new TracedScheduledFuture<>(runnable, task);
    }

    @Override
    protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> callable, RunnableScheduledFuture<V> task) {
        return new TracedScheduledFuture<>(callable, task);
    }
}
