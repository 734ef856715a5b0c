package dev.appstrate.server.secrets;

import java.util.List;
import java.util.Map;

/**
 * One entry of an integration manifest's {@code auths} map: how a connection is entered (its credential
 * fields) and how it is delivered (an HTTP header on authorized URIs, and env vars only if declared).
 */
public record IntegrationAuth(String key, String type, boolean required, List<String> authorizedUris,
                              List<CredentialField> fields, boolean fieldsDeclared, HttpDelivery http,
                              Map<String, String> env) {
    public static final List<String> SUPPORTED = List.of("api_key", "basic", "custom");

    /** A credential the user enters. */
    public record CredentialField(String name, String description, boolean required) {
    }

    /**
     * Header injection: {@code name: prefix + value}, where value is a template over the credential
     * fields ({@code {$credential.api_key}} or {@code {{api_key}}}); null template = the type's default.
     */
    public record HttpDelivery(String headerName, String prefix, String valueTemplate, boolean allowServerOverride) {
    }

    public boolean supported() {
        return SUPPORTED.contains(type);
    }

    public CredentialField field(String name) {
        for (CredentialField f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
