package dev.appstrate.server.store;

/** A database failure the caller cannot fix; surfaces as 500 internal_error. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
