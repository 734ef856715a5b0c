package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.packages.SchemaValidator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Agent existence and input validation from the packages module (its catalog and JSON Schema validator). */
final class CatalogAgentCheck implements Schedules.AgentCheck {
    private final Supplier<AgentCatalog> catalog;
    private final Supplier<SchemaValidator> validator;

    CatalogAgentCheck(Supplier<AgentCatalog> catalog, Supplier<SchemaValidator> validator) {
        this.catalog = catalog;
        this.validator = validator;
    }

    @Override
    public List<ApiException.FieldError> inputErrors(String applicationId, String packageId, JsonNode input) {
        AgentCatalog c = catalog.get();
        if (c == null) {
            return List.of(); // no packages module in this server: nothing to check against
        }
        Optional<AgentPackage> agent = c.find(applicationId, packageId);
        if (agent.isEmpty()) {
            return null;
        }
        JsonNode schema = agent.get().manifest().path("input").path("schema");
        SchemaValidator v = validator.get();
        if (!schema.isObject() || schema.isEmpty() || v == null) {
            return List.of();
        }
        return v.validate(schema, input).stream().map(e -> new ApiException.FieldError(
                e.path().equals("$") ? "input" : "input." + e.path().replaceFirst("^\\$\\.?", ""), "invalid_input",
                e.message())).toList();
    }
}
