package org.postgresql.jdbc2;

import org.postgresql.Driver;

import java.util.TimerTask;

/**
 * Stand-in for pgjdbc 9.x {@code org.postgresql.jdbc2.AbstractJdbc2Statement}, reduced to the
 * parts that matter for the statement-timeout leak:
 *
 * <ul>
 * <li>{@link #setQueryTimeout} only records the timeout; {@link #execute} starts a cancel timer:
 *     an anonymous {@link TimerTask} (this file's FIRST anonymous class, hence its binary name
 *     {@code org.postgresql.jdbc2.AbstractJdbc2Statement$1}) whose {@code run()} would cancel the
 *     running query, scheduled on the driver-wide {@link Driver#getSharedTimer() shared Timer}.
 * <li>{@link #close} calls {@code task.cancel()} and forgets the task. {@code TimerTask.cancel()}
 *     only flips the task's state to CANCELLED: the task (and through its {@code this$0} the
 *     statement) stays in the Timer's TaskQueue until its execution time comes round, unless
 *     somebody calls {@code Timer.purge()}. The fixed driver does that ({@link #purgeOnCancel}).
 * <li>it overrides {@link #finalize()} (close() from finalize, as 9.x did), so every statement is
 *     registered with {@code java.lang.ref.Finalizer} when it is allocated.
 * </ul>
 *
 * Do not add another anonymous class or a lambda above {@link #startTimer}: the task class name is
 * part of the samples' contract.
 */
public abstract class AbstractJdbc2Statement {
    /** false = the leaking 9.x behaviour, true = the fixed driver (purge after cancel). */
    public static volatile boolean purgeOnCancel = false;

    /** Stands in for the buffers a statement keeps after close (result rows, bound parameters). */
    protected byte[] resultBuffer;
    protected final String sql;
    protected final long statementId;
    protected int timeout;      // seconds, 0 = none
    protected int fetchSize;
    protected int maxRows;
    protected boolean isClosed;
    protected int cancelRequests;
    private TimerTask cancelTimerTask;

    protected AbstractJdbc2Statement(String sql, long statementId, byte[] resultBuffer) {
        this.sql = sql;
        this.statementId = statementId;
        this.resultBuffer = resultBuffer;
    }

    public void setQueryTimeout(int seconds) {
        this.timeout = seconds;
    }

    public void setFetchSize(int rows) {
        this.fetchSize = rows;
    }

    /** Sends the query; the timeout timer runs until the statement is closed. */
    public void execute() {
        if (isClosed) throw new IllegalStateException("statement is closed");
        startTimer();
        // ... the wire protocol would go here ...
    }

    private void startTimer() {
        if (timeout == 0) return;
        cancelTimerTask = new TimerTask() {
            @Override
            public void run() {
                // the real driver opens a second connection and sends a CancelRequest
                AbstractJdbc2Statement.this.cancel();
            }
        };
        Driver.addTimerTask(cancelTimerTask, timeout * 1000L);
    }

    private void killTimer() {
        TimerTask task = cancelTimerTask;
        if (task != null) {
            task.cancel();
            cancelTimerTask = null;
            if (purgeOnCancel) Driver.purgeTimerTasks();
        }
    }

    public void cancel() {
        cancelRequests++;
    }

    public void close() {
        if (isClosed) return;
        killTimer();
        isClosed = true;
    }

    public boolean isClosed() {
        return isClosed;
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    protected void finalize() throws Throwable {
        try {
            close();
        } finally {
            super.finalize();
        }
    }
}
