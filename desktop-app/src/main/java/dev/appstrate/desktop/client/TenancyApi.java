package dev.appstrate.desktop.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/api-keys} and {@code /api/applications}, read into typed records (unknown fields ignored). */
public final class TenancyApi {
    /** An API key as listed: never the key itself, only its prefix. Times are ISO instants, null for none. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ApiKey(String id, String name, String keyPrefix, List<String> scopes, String createdAt, String expiresAt,
                         String lastUsedAt) {
        public ApiKey {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
        }
    }

    /** A key just created: {@code key} is the raw key, returned this once. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CreatedKey(String id, String name, String key) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Application(String id, String name, boolean isDefault, String createdAt) {
    }

    private final AppstrateClient client;

    public TenancyApi(AppstrateClient client) {
        this.client = client;
    }

    public List<ApiKey> apiKeys() {
        return list(client.apiKeys(), ApiKey.class);
    }

    public CreatedKey createApiKey(String name) {
        return DesktopJson.MAPPER.convertValue(client.createApiKey(name), CreatedKey.class);
    }

    public void revokeApiKey(String id) {
        client.revokeApiKey(id);
    }

    public List<Application> applications() {
        return list(client.applications(), Application.class);
    }

    public Application createApplication(String name) {
        return DesktopJson.MAPPER.convertValue(client.createApplication(name), Application.class);
    }

    public void deleteApplication(String id) {
        client.deleteApplication(id);
    }

    private static <T> List<T> list(JsonNode page, Class<T> type) {
        List<T> out = new ArrayList<>();
        page.path("data").forEach(n -> out.add(DesktopJson.MAPPER.convertValue(n, type)));
        return out;
    }
}
