package com.example.leak;

/** Per-request state a server keeps while a request is in flight (the payload of the leak). */
public class RequestContext {
    private final String requestId;
    private final long startedNanos;
    /** Stands in for the request body / buffered response. */
    private final byte[] body;
    private volatile boolean aborted;

    public RequestContext(String requestId, long startedNanos, byte[] body) {
        this.requestId = requestId;
        this.startedNanos = startedNanos;
        this.body = body;
    }

    public void abort() {
        aborted = true;
    }

    public String requestId() {
        return requestId;
    }
}
