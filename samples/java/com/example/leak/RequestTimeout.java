package com.example.leak;

/** The timeout action scheduled for every request: aborts it if it is still running. */
public class RequestTimeout implements Runnable {
    private final RequestContext context;

    public RequestTimeout(RequestContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        context.abort();
    }
}
