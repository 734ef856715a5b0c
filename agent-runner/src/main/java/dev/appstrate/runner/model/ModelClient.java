package dev.appstrate.runner.model;

import java.util.List;

/** One provider wire shape. Implementations are stateless apart from their HTTP plumbing. */
public interface ModelClient {

    ModelTurn complete(String system, List<Message> history, List<ToolSpec> tools)
            throws ModelRequestException, InterruptedException;

    static ModelClient create(ModelApi api, ModelHttp http, ModelSettings settings) {
        return api == ModelApi.OPENAI_CHAT_COMPLETIONS
                ? new OpenAiChatClient(http, settings)
                : new AnthropicMessagesClient(http, settings);
    }
}
