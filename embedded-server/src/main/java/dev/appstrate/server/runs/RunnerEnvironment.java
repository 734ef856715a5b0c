package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.secrets.CredentialInjector;
import dev.appstrate.server.secrets.ResolvedConnection;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's environment contract: what a runner process or container is told (prompt, model placeholder, sink
 * URLs and secret, workspace, heartbeat, credential proxy) — never a real provider key or connection secret.
 */
public final class RunnerEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerEnvironment.class);
    /** Names of the contract itself and of the runtime: an integration's env delivery may not take them. */
    private static final Pattern RESERVED_ENV = Pattern.compile(
            "^(AGENT_|MODEL_|APPSTRATE_|OUTPUT_SCHEMA$|WORKSPACE_DIR$|DOCUMENT_MAX_FILE_BYTES$|HEARTBEAT_|PATH$|HOME$|TMPDIR$|LANG$|JAVA_|LD_|_JAVA)");
    private final String serverUrl;
    private final Path runsDir;
    private final int heartbeatSeconds;
    private final long documentMaxFileBytes;

    public RunnerEnvironment(String serverUrl, Path runsDir, int heartbeatSeconds, long documentMaxFileBytes) {
        this.serverUrl = serverUrl;
        this.runsDir = runsDir;
        this.heartbeatSeconds = heartbeatSeconds;
        this.documentMaxFileBytes = documentMaxFileBytes;
    }

    Map<String, String> of(ActiveRun run, AgentPackage agent, JsonNode input, int timeout) {
        Map<String, String> env = new HashMap<>();
        String sink = serverUrl + "/api/runs/" + run.runId + "/events";
        env.put("AGENT_RUN_ID", run.runId);
        env.put("AGENT_PROMPT", PromptRenderer.render(agent, input, run.outputSchema, run.connections));
        env.put("AGENT_INPUT", Json.string(input));
        env.put("MODEL_API", run.model.apiShape());
        env.put("MODEL_ID", run.model.modelId());
        // the runner talks to the server's LLM sidecar with a placeholder; the real key never leaves the server
        env.put("MODEL_BASE_URL", serverUrl + "/internal/llm/" + run.runId + "/v1");
        env.put("MODEL_API_KEY", run.llmToken);
        // stream like the original, so the first tokens and tool calls reach the run as soon as the provider sends them
        env.put("MODEL_STREAM", "true");
        if (run.model.cost() != null && !run.model.cost().isNull()) {
            env.put("MODEL_COST", Json.string(run.model.cost()));
        }
        env.put("AGENT_TIMEOUT_SECONDS", String.valueOf(timeout));
        if (run.outputSchema != null) {
            env.put("OUTPUT_SCHEMA", Json.string(run.outputSchema));
        }
        env.put("APPSTRATE_SINK_URL", sink);
        env.put("APPSTRATE_SINK_FINALIZE_URL", sink + "/finalize");
        env.put("APPSTRATE_SINK_HEARTBEAT_URL", sink + "/heartbeat");
        env.put("APPSTRATE_SINK_SECRET", run.sinkSecret);
        env.put("WORKSPACE_DIR", runsDir.resolve(run.runId).resolve("workspace").toString());
        env.put("HEARTBEAT_INTERVAL_SECONDS", String.valueOf(heartbeatSeconds));
        // the original's contract: the runner skips an output file the documents route would refuse (413) instead of sending it
        env.put("DOCUMENT_MAX_FILE_BYTES", String.valueOf(documentMaxFileBytes));
        if (!run.connections.isEmpty()) {
            // the agent reaches its integrations through the server's credential proxy; it holds only the run token
            env.put("APPSTRATE_CREDENTIAL_PROXY_URL", serverUrl + CredentialProxy.PATH);
            env.put("APPSTRATE_RUN_TOKEN", run.runToken);
            for (ResolvedConnection c : run.connections) {
                // env delivery only where the integration declares it; never over the runner's own contract
                CredentialInjector.envDelivery(c).forEach((name, value) -> {
                    if (env.containsKey(name) || RESERVED_ENV.matcher(name).find()) {
                        LOG.warn("Integration env var skipped runId={} integration={} var={}: reserved name", run.runId,
                                c.packageId(), name);
                    } else {
                        env.put(name, value);
                    }
                });
            }
        }
        return env;
    }
}
