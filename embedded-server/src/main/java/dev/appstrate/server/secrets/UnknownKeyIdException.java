package dev.appstrate.server.secrets;

/**
 * The envelope names a key id the key ring does not hold. A configuration gap, not bad data:
 * the value opens again once the key is put back.
 */
public final class UnknownKeyIdException extends SecretException {
    private final String kid;

    public UnknownKeyIdException(String kid) {
        super("No encryption key registered for kid '" + kid + "'. Add it to CONNECTION_ENCRYPTION_KEYS "
                + "(as {\"" + kid + "\":\"<base64 key>\"}) or set it as CONNECTION_ENCRYPTION_KEY with "
                + "CONNECTION_ENCRYPTION_KEY_ID=" + kid + ".");
        this.kid = kid;
    }

    public String kid() {
        return kid;
    }
}
