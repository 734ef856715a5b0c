package dev.appstrate.runner.model;

/** The model could not be reached or answered with an error, after any retries. Message is user-facing. */
public final class ModelRequestException extends Exception {
    private final int status;

    public ModelRequestException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }
}
