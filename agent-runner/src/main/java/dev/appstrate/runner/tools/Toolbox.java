package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.Json;
import dev.appstrate.runner.model.ToolCall;
import dev.appstrate.runner.model.ToolSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools offered to the model, and dispatch of one call to its tool. */
public final class Toolbox {
    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public Toolbox(List<Tool> tools) {
        tools.forEach(t -> this.tools.put(t.name(), t));
    }

    /** The standard set: bash, read, write, edit, log, output. */
    public static Toolbox standard(Workspace ws, int byteLimit, JsonNode outputSchema, RuntimeToolListener listener) {
        return new Toolbox(List.of(new BashTool(ws, byteLimit), new ReadTool(ws, byteLimit), new WriteTool(ws),
                new EditTool(ws), new LogTool(listener), new OutputTool(outputSchema, listener)));
    }

    public List<ToolSpec> specs() {
        List<ToolSpec> specs = new ArrayList<>();
        tools.values().forEach(t -> specs.add(new ToolSpec(t.name(), t.description(), t.parameters())));
        return specs;
    }

    /** Runs one call. Never throws for tool-level problems: they become error outcomes for the model. */
    public ToolOutcome execute(ToolCall call) throws InterruptedException {
        Tool tool = tools.get(call.name());
        if (tool == null) {
            return ToolOutcome.error("Unknown tool: " + call.name() + ". Available tools: " + tools.keySet());
        }
        JsonNode args;
        try {
            args = parseArguments(call.arguments());
        } catch (IllegalArgumentException e) {
            return ToolOutcome.error("Invalid JSON arguments for tool " + call.name() + ": " + e.getMessage());
        }
        try {
            return tool.execute(args);
        } catch (ToolFailure e) {
            return ToolOutcome.error(e.getMessage());
        } catch (RuntimeException e) {
            return ToolOutcome.error("Tool " + call.name() + " failed: " + e);
        }
    }

    /** Parses arguments; blank means {@code {}}; anything but an object is rejected. */
    public static JsonNode parseArguments(String raw) {
        if (raw == null || raw.isBlank()) {
            return Json.object();
        }
        JsonNode n = Json.parse(raw);
        if (!n.isObject()) {
            throw new IllegalArgumentException("arguments must be a JSON object");
        }
        return n;
    }
}
