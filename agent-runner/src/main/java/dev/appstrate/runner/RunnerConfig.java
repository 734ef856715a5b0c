package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.model.ModelApi;
import dev.appstrate.runner.model.ModelCost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's environment contract, parsed once. All problems are collected and reported together.
 * {@code toString} never shows the API key or the sink secret.
 *
 * @param input          {@code AGENT_INPUT} parsed, or {@code null} when absent
 * @param modelApiKey    {@code MODEL_API_KEY} (normally a placeholder the sidecar swaps), or {@code null}
 * @param modelMaxTokens {@code MODEL_MAX_TOKENS}, or {@code null} when not set
 * @param timeoutSeconds {@code AGENT_TIMEOUT_SECONDS}; {@code 0} disables the runner-side watchdog
 * @param outputSchema   {@code OUTPUT_SCHEMA} parsed, or {@code null}
 * @param documentMaxFileBytes {@code DOCUMENT_MAX_FILE_BYTES}: the server's limit for one published output file
 */
public record RunnerConfig(
        String runId,
        String prompt,
        JsonNode input,
        ModelApi modelApi,
        String modelId,
        String modelBaseUrl,
        String modelApiKey,
        boolean modelStream,
        Integer modelMaxTokens,
        Double modelTemperature,
        int modelContextWindow,
        ModelCost modelCost,
        boolean modelRetry,
        int timeoutSeconds,
        int maxTurns,
        JsonNode outputSchema,
        SinkTarget sink,
        Path workspaceDir,
        int heartbeatIntervalSeconds,
        int toolResultByteLimit,
        int documentMaxFileBytes) {

    /** Raised when the environment is unusable; {@link #sink} is set when errors can still be reported. */
    public static final class Invalid extends Exception {
        public final List<String> issues;
        public final transient Optional<SinkTarget> sink;

        Invalid(List<String> issues, Optional<SinkTarget> sink) {
            super("agent-runner env invalid: " + String.join("; ", issues));
            this.issues = List.copyOf(issues);
            this.sink = sink;
        }
    }

    public static RunnerConfig fromEnv(Map<String, String> env) throws Invalid {
        List<String> issues = new ArrayList<>();
        Optional<SinkTarget> sink = SinkTarget.fromEnv(env, issues);

        String runId = required(env, "AGENT_RUN_ID", issues);
        String prompt = required(env, "AGENT_PROMPT", issues);
        JsonNode input = json(env, "AGENT_INPUT", issues);
        if (input != null && !input.isObject()) {
            issues.add("AGENT_INPUT: must be a JSON object");
        }
        String apiRaw = required(env, "MODEL_API", issues);
        ModelApi api = null;
        if (apiRaw != null) {
            api = ModelApi.fromEnv(apiRaw).orElse(null);
            if (api == null) {
                issues.add("MODEL_API: unknown api \"" + apiRaw + "\" (allowed: " + ModelApi.ACCEPTED + ")");
            }
        }
        String modelId = required(env, "MODEL_ID", issues);
        String baseUrl = blankToNull(env.get("MODEL_BASE_URL"));
        if (baseUrl == null && api != null) {
            baseUrl = api.defaultBaseUrl();
        } else if (baseUrl != null && !baseUrl.matches("(?i)https?://.+")) {
            issues.add("MODEL_BASE_URL: must be an http(s) URL (got \"" + baseUrl + "\")");
        }
        String apiKey = blankToNull(env.get("MODEL_API_KEY"));
        boolean stream = bool(env, "MODEL_STREAM", false, issues);
        Integer maxTokens = env.containsKey("MODEL_MAX_TOKENS") && !env.get("MODEL_MAX_TOKENS").isBlank()
                ? positiveInt(env, "MODEL_MAX_TOKENS", 0, issues) : null;
        Double temperature = null;
        if (blankToNull(env.get("MODEL_TEMPERATURE")) != null) {
            try {
                temperature = Double.parseDouble(env.get("MODEL_TEMPERATURE").trim());
                if (temperature < 0 || temperature > 2) {
                    issues.add("MODEL_TEMPERATURE: must be between 0 and 2");
                }
            } catch (NumberFormatException e) {
                issues.add("MODEL_TEMPERATURE: must be a number");
            }
        }
        int contextWindow = positiveInt(env, "MODEL_CONTEXT_WINDOW", 128_000, issues);
        ModelCost cost = null;
        JsonNode costJson = json(env, "MODEL_COST", issues);
        if (costJson != null) {
            try {
                cost = ModelCost.fromJson(costJson);
            } catch (IllegalArgumentException e) {
                issues.add("MODEL_COST: " + e.getMessage());
            }
        }
        boolean retry = bool(env, "MODEL_RETRY_ENABLED", true, issues);
        int timeout = nonNegativeInt(env, "AGENT_TIMEOUT_SECONDS", 300, issues);
        int maxTurns = positiveInt(env, "AGENT_MAX_TURNS", 50, issues);
        JsonNode outputSchema = json(env, "OUTPUT_SCHEMA", issues);
        if (outputSchema != null && !outputSchema.isObject()) {
            issues.add("OUTPUT_SCHEMA: must be a JSON object (a JSON Schema)");
        }
        Path workspace = Paths.get(Optional.ofNullable(blankToNull(env.get("WORKSPACE_DIR")))
                .orElse(System.getProperty("user.dir"))).toAbsolutePath().normalize();
        if (!Files.isDirectory(workspace)) {
            issues.add("WORKSPACE_DIR: not a directory (" + workspace + ")");
        }
        int heartbeat = positiveInt(env, "HEARTBEAT_INTERVAL_SECONDS", 30, issues);
        int toolLimit = positiveInt(env, "TOOL_RESULT_BYTE_LIMIT", 30_000, issues);
        int documentMax = positiveInt(env, "DOCUMENT_MAX_FILE_BYTES", 104_857_600, issues); // the original's default, 100 MiB

        if (!issues.isEmpty() || sink.isEmpty()) {
            throw new Invalid(issues, sink);
        }
        return new RunnerConfig(runId, prompt, input, api, modelId, baseUrl, apiKey, stream, maxTokens,
                temperature, contextWindow, cost, retry, timeout, maxTurns, outputSchema, sink.get(), workspace,
                heartbeat, toolLimit, documentMax);
    }

    /** Secrets whose values must never leave the runner in any message. */
    public Redactor redactor() {
        return new Redactor(modelApiKey, sink.secret());
    }

    private static String required(Map<String, String> env, String name, List<String> issues) {
        String v = blankToNull(env.get(name));
        if (v == null) {
            issues.add(name + ": required");
        }
        return v;
    }

    private static JsonNode json(Map<String, String> env, String name, List<String> issues) {
        String v = blankToNull(env.get(name));
        if (v == null) {
            return null;
        }
        try {
            return Json.parse(v);
        } catch (IllegalArgumentException e) {
            issues.add(name + ": malformed JSON — " + e.getMessage());
            return null;
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean dflt, List<String> issues) {
        String v = blankToNull(env.get(name));
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true") || v.equals("1")) {
            return true;
        }
        if (v.equalsIgnoreCase("false") || v.equals("0")) {
            return false;
        }
        issues.add(name + ": must be true or false (got \"" + v + "\")");
        return dflt;
    }

    private static int positiveInt(Map<String, String> env, String name, int dflt, List<String> issues) {
        int n = nonNegativeInt(env, name, dflt, issues);
        if (n == 0 && blankToNull(env.get(name)) != null) {
            issues.add(name + ": must be a positive integer (got \"" + env.get(name) + "\")");
        }
        return n;
    }

    private static int nonNegativeInt(Map<String, String> env, String name, int dflt, List<String> issues) {
        String v = blankToNull(env.get(name));
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            issues.add(name + ": must be a non-negative integer (got \"" + v + "\")");
            return dflt;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "RunnerConfig[runId=" + runId + ", modelApi=" + modelApi + ", modelId=" + modelId
                + ", modelBaseUrl=" + modelBaseUrl + ", modelApiKey=" + (modelApiKey == null ? "none" : "***")
                + ", modelStream=" + modelStream + ", timeoutSeconds=" + timeoutSeconds + ", maxTurns=" + maxTurns
                + ", outputSchema=" + (outputSchema != null) + ", sink=" + sink + ", workspaceDir=" + workspaceDir
                + "]";
    }
}
