package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.Json;

import java.util.List;

/**
 * {@code output({data})}: the run's structured result, as in the original (arguments wrapped in
 * {@code data}; {@code data}'s schema is {@code OUTPUT_SCHEMA} or any object). Arguments that omit the
 * wrapper are accepted as the data itself. A valid call is reported to the listener; an invalid one
 * returns the validation errors so the model can retry. A successful call ends the run after the
 * current turn's tool calls.
 */
public final class OutputTool implements Tool {
    private final JsonNode dataSchema;
    private final boolean schemaDeclared;
    private final RuntimeToolListener listener;

    public OutputTool(JsonNode outputSchema, RuntimeToolListener listener) {
        this.schemaDeclared = outputSchema != null;
        this.dataSchema = outputSchema != null ? outputSchema : Json.object().put("type", "object");
        this.listener = listener;
    }

    @Override
    public String name() {
        return "output";
    }

    @Override
    public String description() {
        return schemaDeclared
                ? "Call exactly once, as your final action, with the complete output object that satisfies the "
                + "declared schema (all required fields must be provided). A successful call ends the run "
                + "immediately — do all other work first."
                : "Optional — call at most once, as your final action, to return a JSON object as the run result. "
                + "If your task produces no result to return, finish without calling it. A successful call ends "
                + "the run immediately — do all other work first.";
    }

    @Override
    public JsonNode parameters() {
        ObjectNode s = Tool.objectSchema("data");
        s.put("additionalProperties", false);
        ObjectNode data = dataSchema.deepCopy();
        if (!data.hasNonNull("description")) {
            data.put("description", "JSON object to return as the run output");
        }
        ((ObjectNode) s.get("properties")).set("data", data);
        return s;
    }

    @Override
    public ToolOutcome execute(JsonNode args) throws ToolFailure {
        JsonNode data = args.has("data") && args.size() == 1 ? args.get("data") : args;
        List<String> errors = OutputSchemaCheck.validate(dataSchema, data);
        if (!errors.isEmpty()) {
            throw new ToolFailure("Output validation failed:\n  - " + String.join("\n  - ", errors)
                    + "\n\nPlease call output() again with all required fields correctly typed.");
        }
        listener.outputEmitted(data);
        return ToolOutcome.ok("Output recorded");
    }
}
