package dev.appstrate.server.runs.adapter;

/** The workload could not start; the message says why and what to do. */
public final class RunStartException extends Exception {
    public RunStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
