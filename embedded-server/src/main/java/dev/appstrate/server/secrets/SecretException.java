package dev.appstrate.server.secrets;

/**
 * A stored secret cannot be opened: malformed envelope, unknown key id, or a failed integrity check.
 * Messages name the kid and the cause, never the value.
 */
public class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }

    public SecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
