package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** {@code log(level, message)}: a progress line the user reads live ({@code log.written}). */
public final class LogTool implements Tool {
    static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
    private final RuntimeToolListener listener;

    public LogTool(RuntimeToolListener listener) {
        this.listener = listener;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public String description() {
        return "Send a progress message to the user. Write naturally — the user reads these in real time.";
    }

    @Override
    public JsonNode parameters() {
        ObjectNode s = Tool.objectSchema("level", "message");
        s.put("additionalProperties", false);
        ObjectNode level = Tool.prop(s, "level", "string",
                "debug: details, info: progress and milestones, warn: non-blocking issues, error: failures");
        LEVELS.forEach(level.putArray("enum")::add);
        Tool.prop(s, "message", "string", "Message for the user");
        return s;
    }

    @Override
    public ToolOutcome execute(JsonNode args) throws ToolFailure {
        String level = Tool.stringArg(args, false, "level");
        level = level == null ? "info" : level.strip().toLowerCase(java.util.Locale.ROOT);
        if (level.equals("warning")) {
            level = "warn";
        }
        if (!LEVELS.contains(level)) {
            throw new ToolFailure("level must be one of " + LEVELS);
        }
        String message = Tool.stringArg(args, true, "message");
        listener.logWritten(level, message);
        return ToolOutcome.ok("Logged [" + level + "]: " + message);
    }
}
