package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.secrets.CredentialInjector;
import dev.appstrate.server.secrets.IntegrationAuth;
import dev.appstrate.server.secrets.ResolvedConnection;
import java.util.List;

/**
 * Renders the one prompt string the runner gets (AGENT_PROMPT): the agent's prompt, its input, how to
 * call its integrations through the credential proxy, and the output format.
 */
final class PromptRenderer {
    private PromptRenderer() {
    }

    static String render(AgentPackage agent, JsonNode input, JsonNode outputSchema) {
        return render(agent, input, outputSchema, List.of());
    }

    static String render(AgentPackage agent, JsonNode input, JsonNode outputSchema, List<ResolvedConnection> connections) {
        StringBuilder sb = new StringBuilder();
        sb.append(agent.prompt().strip()).append("\n\n## Input\n\n");
        if (input == null || input.isNull() || input.size() == 0) {
            sb.append("No input was provided.\n");
        } else {
            sb.append("```json\n").append(Json.string(input)).append("\n```\n");
        }
        if (!connections.isEmpty()) {
            integrations(sb, connections);
        }
        if (outputSchema != null) {
            sb.append("\n## Output Format\n\nWhen you are done, call the `output` tool once with `data` matching this JSON "
                    + "Schema:\n\n```json\n").append(Json.string(outputSchema)).append("\n```\n");
        }
        return sb.toString();
    }

    /** The credential-proxy contract, as the agent uses it from the bash tool (names and URLs only, never values). */
    private static void integrations(StringBuilder sb, List<ResolvedConnection> connections) {
        sb.append("\n## Integrations\n\nYou can call these APIs. You never see their credentials: send each request through "
                + "the credential proxy, which adds the credential and forwards the request.\n\n");
        for (ResolvedConnection c : connections) {
            IntegrationAuth auth = c.auth();
            sb.append("- `").append(c.packageId()).append("` (").append(auth.type()).append("): allowed URLs ")
                    .append(auth.authorizedUris().isEmpty() ? "none" : "`" + String.join("`, `", auth.authorizedUris()) + "`");
            CredentialInjector.Header header = CredentialInjector.header(auth, c.credentials());
            if (header != null) {
                sb.append("; the proxy sets the `").append(header.name()).append("` header");
            }
            if (!c.credentials().isEmpty()) {
                sb.append("; placeholders `{{").append(String.join("}}`, `{{", c.credentials().keySet())).append("}}`");
            }
            if (!auth.env().isEmpty()) {
                sb.append("; also in the environment as `$").append(String.join("`, `$", auth.env().keySet())).append('`');
            }
            sb.append('\n');
        }
        sb.append("""

                Call the proxy with curl in the bash tool, using the environment variables as written (never print or \
                paste their values):

                ```sh
                curl -sS "$APPSTRATE_CREDENTIAL_PROXY_URL" \\
                  -H "Authorization: Bearer $APPSTRATE_RUN_TOKEN" \\
                  -H "X-Integration-Id: %s" \\
                  -H "X-Target: <full URL of the API endpoint>"
                ```

                Add `-X POST|PUT|PATCH|DELETE`, `-d` and your own headers (e.g. `Content-Type`) as the API needs; they are \
                forwarded. The answer is the API's own status, headers and body. `{{field}}` placeholders in X-Target and \
                headers (and in the body with `-H "X-Substitute-Body: true"`) are filled in by the proxy. A 403 \
                `target_not_authorized` means the URL is not one of the allowed URLs.
                """.formatted(connections.get(0).packageId()));
    }
}
