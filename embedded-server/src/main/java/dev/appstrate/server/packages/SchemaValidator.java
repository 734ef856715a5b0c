package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.appstrate.server.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema 2020-12 checks for manifests, run input and run output. Never fetches a remote
 * {@code $ref}: a manifest must not make the server reach the network.
 */
public final class SchemaValidator {
    /** One failed check: where in the instance (a JSON path such as {@code $.user.age}) and why. */
    public record SchemaError(String path, String keyword, String message) {
    }

    private static final String META_SCHEMA = SpecificationVersion.DRAFT_2020_12.getDialectId();
    private static final int CACHE_MAX = 512;
    private final Map<String, String> localSchemas;
    private volatile SchemaRegistry registry;
    private volatile Schema metaSchema;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    public SchemaValidator() {
        this(Map.of());
    }

    /** @param localSchemas documents served for these absolute ids instead of fetching them */
    public SchemaValidator(Map<String, String> localSchemas) {
        this.localSchemas = Map.copyOf(localSchemas);
    }

    /** Builds the registry and meta-schema on first use (over a second of class loading: kept off the boot path). */
    public SchemaValidator warmUp() {
        if (metaSchema == null) {
            synchronized (this) {
                if (metaSchema == null) {
                    SchemaRegistryConfig config = SchemaRegistryConfig.builder().pathType(PathType.JSON_PATH).build();
                    SchemaRegistry r = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
                            .schemaRegistryConfig(config)
                            .schemas(localSchemas)
                            .schemaLoader(l -> l.fetchRemoteResources(false)));
                    registry = r;
                    metaSchema = r.getSchema(SchemaLocation.of(META_SCHEMA));
                }
            }
        }
        return this;
    }

    /** Errors of {@code instance} against {@code schema}; empty when valid. */
    public List<SchemaError> validate(JsonNode schema, JsonNode instance) {
        return map(compile(schema).validate(Json.string(instance), InputFormat.JSON));
    }

    /** Errors of the schema itself against the 2020-12 meta-schema; empty when it is a usable schema. */
    public List<SchemaError> checkSchema(JsonNode schema) {
        List<SchemaError> errors = map(warmUp().metaSchema.validate(Json.string(schema), InputFormat.JSON));
        if (!errors.isEmpty()) {
            return errors;
        }
        try {
            compile(schema);
            return List.of();
        } catch (RuntimeException e) {
            // e.g. a $ref to a document we do not have, or a pattern that does not compile
            return List.of(new SchemaError("$", "schema", String.valueOf(e.getMessage())));
        }
    }

    private Schema compile(JsonNode schema) {
        String text = Json.string(schema);
        Schema s = compiled.get(text);
        if (s == null) {
            s = warmUp().registry.getSchema(text, InputFormat.JSON);
            s.initializeValidators();
            if (compiled.size() >= CACHE_MAX) {
                compiled.clear();
            }
            compiled.put(text, s);
        }
        return s;
    }

    private static List<SchemaError> map(List<Error> errors) {
        List<SchemaError> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            String path = e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString();
            out.add(new SchemaError(path, e.getKeyword(), e.getMessage()));
        }
        return out;
    }
}
