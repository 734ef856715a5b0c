package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.packages.SchemaValidator;
import java.util.List;
import java.util.Optional;

/** Agent existence and input validation from the packages module (its catalog and JSON Schema validator). */
public final class CatalogAgentCheck implements Schedules.AgentCheck {
    private final AgentCatalog catalog;
    private final SchemaValidator validator;

    public CatalogAgentCheck(AgentCatalog catalog, SchemaValidator validator) {
        this.catalog = catalog;
        this.validator = validator;
    }

    @Override
    public List<ApiException.FieldError> inputErrors(String applicationId, String packageId, JsonNode input) {
        Optional<AgentPackage> agent = catalog.find(applicationId, packageId);
        if (agent.isEmpty()) {
            return null;
        }
        JsonNode schema = agent.get().manifest().path("input").path("schema");
        if (!schema.isObject() || schema.isEmpty()) {
            return List.of();
        }
        return validator.validate(schema, input).stream().map(e -> new ApiException.FieldError(
                e.path().equals("$") ? "input" : "input." + e.path().replaceFirst("^\\$\\.?", ""), "invalid_input",
                e.message())).toList();
    }
}
