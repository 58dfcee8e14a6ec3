package org.postgresql;

import java.util.Timer;
import java.util.TimerTask;

/**
 * Stand-in for {@code org.postgresql.Driver}: only the part that owns the driver-wide cancel
 * timer. Old 9.x drivers kept a static {@code Timer cancelTimer} here and exposed
 * {@code addTimerTask(TimerTask, long)}; later drivers moved it into a reference-counted
 * {@code SharedTimer} whose daemon thread is named "PostgreSQL-JDBC-SharedTimer-N". This class
 * combines the two: a static, lazily created, daemon {@link Timer} with that thread name.
 */
public class Driver {
    /** Real drivers register one instance with java.sql.DriverManager; we just keep it here. */
    private static final Driver REGISTERED = new Driver();

    private static Timer sharedTimer;
    private static int timerCount;

    public static synchronized Timer getSharedTimer() {
        if (sharedTimer == null) {
            sharedTimer = new Timer("PostgreSQL-JDBC-SharedTimer-" + (++timerCount), true);
        }
        return sharedTimer;
    }

    /** Schedules a statement-cancel task (pre-9.4 API name). */
    public static void addTimerTask(TimerTask task, long milliSeconds) {
        getSharedTimer().schedule(task, milliSeconds);
    }

    /** The fix: drop cancelled tasks from the timer's queue (Timer.purge()). */
    public static void purgeTimerTasks() {
        Timer t;
        synchronized (Driver.class) {
            t = sharedTimer;
        }
        if (t != null) t.purge();
    }

    public static Driver registered() {
        return REGISTERED;
    }
}
