package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.AgentPackage;

/** Renders the one prompt string the runner gets (AGENT_PROMPT): the agent's prompt, its input and the output format. */
final class PromptRenderer {
    private PromptRenderer() {
    }

    static String render(AgentPackage agent, JsonNode input, JsonNode outputSchema) {
        StringBuilder sb = new StringBuilder();
        sb.append(agent.prompt().strip()).append("\n\n## Input\n\n");
        if (input == null || input.isNull() || input.size() == 0) {
            sb.append("No input was provided.\n");
        } else {
            sb.append("```json\n").append(Json.string(input)).append("\n```\n");
        }
        if (outputSchema != null) {
            sb.append("\n## Output Format\n\nWhen you are done, call the `output` tool once with `data` matching this JSON "
                    + "Schema:\n\n```json\n").append(Json.string(outputSchema)).append("\n```\n");
        }
        return sb.toString();
    }
}
