package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** An integration package (or a locally created one) as the connections API and the injector see it. */
public record IntegrationDefinition(String packageId, String displayName, String description,
                                    Map<String, IntegrationAuth> auths, JsonNode manifest) {
    public IntegrationAuth auth(String key) {
        return auths.get(key);
    }
}
