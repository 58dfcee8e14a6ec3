package com.example.leak;

import java.util.concurrent.ThreadFactory;

/** Daemon threads with a fixed name (the executors here have exactly one thread each). */
public class NamedThreadFactory implements ThreadFactory {
    private final String name;

    public NamedThreadFactory(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
