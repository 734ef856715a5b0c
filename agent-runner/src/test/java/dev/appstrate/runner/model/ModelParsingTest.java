package dev.appstrate.runner.model;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wire-shape parsing that the scripted server does not exercise (interleaving, provider quirks). */
class ModelParsingTest {

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openAiStreamInterleavesParallelToolCallsByIndex() throws IOException {
        String sse = ""
                + ": keep-alive comment\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"bash\",\"arguments\":\"{\\\"comm\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"function\":{\"name\":\"log\",\"arguments\":\"\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"{\\\"level\\\":\\\"info\\\",\\\"message\\\":\\\"x\\\"}\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"and\\\":\\\"ls\\\"}\"}}]}}]}\n\n"
                + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":60}}}\n\n"
                + "data: [DONE]\n\n";
        ModelTurn t = OpenAiChatClient.parseStream(in(sse));
        assertEquals(List.of(new ToolCall("call_a", "bash", "{\"command\":\"ls\"}"),
                new ToolCall("call_b", "log", "{\"level\":\"info\",\"message\":\"x\"}")), t.toolCalls());
        assertEquals(new TokenUsage(40, 20, 60, 0), t.usage(), "cached prompt tokens count as cache reads");
        assertEquals("tool_calls", t.stopReason());
    }

    @Test
    void openAiStreamCutBeforeTheEndIsAnIoErrorSoItIsRetried() {
        String sse = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n";
        assertThrows(IOException.class, () -> OpenAiChatClient.parseStream(in(sse)));
    }

    @Test
    void openAiJsonAcceptsObjectArgumentsAndReportsErrorPayloads() throws IOException {
        ModelTurn t = OpenAiChatClient.parseJson(in("{\"choices\":[{\"message\":{\"content\":\"ok\",\"tool_calls\":"
                + "[{\"id\":\"c1\",\"function\":{\"name\":\"output\",\"arguments\":{\"data\":{\"a\":1}}}}]},"
                + "\"finish_reason\":\"tool_calls\"}]}"));
        assertEquals("ok", t.text());
        assertEquals("{\"data\":{\"a\":1}}", t.toolCalls().get(0).arguments());
        assertEquals(TokenUsage.ZERO, t.usage());
        BadModelResponse e = assertThrows(BadModelResponse.class,
                () -> OpenAiChatClient.parseJson(in("{\"error\":{\"message\":\"model not loaded\"}}")));
        assertEquals("model not loaded", e.getMessage());
    }

    @Test
    void anthropicStreamWithTextThenToolUse() throws IOException {
        String sse = ""
                + "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":50,\"cache_read_input_tokens\":7,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me \"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"check.\"}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"read\",\"input\":{}}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"path\\\":\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"a.txt\\\"}\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":33}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        ModelTurn t = AnthropicMessagesClient.parseStream(in(sse));
        assertEquals("Let me check.", t.text());
        assertEquals(List.of(new ToolCall("toolu_1", "read", "{\"path\":\"a.txt\"}")), t.toolCalls());
        assertEquals(new TokenUsage(50, 33, 7, 0), t.usage(), "message_delta updates output, keeps the rest");
        assertEquals("tool_use", t.stopReason());
    }

    @Test
    void anthropicMidStreamErrorIsRetryable() {
        String sse = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{}}}\n\n"
                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
        IOException e = assertThrows(IOException.class, () -> AnthropicMessagesClient.parseStream(in(sse)));
        assertTrue(e.getMessage().contains("Overloaded"));
    }

    @Test
    void retryAfterSecondsAndHttpDates() {
        assertEquals(Duration.ofMillis(1500), ModelHttp.retryAfter("1.5"));
        assertEquals(Duration.ZERO, ModelHttp.retryAfter("0"));
        assertEquals(Duration.ZERO, ModelHttp.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), "a past date means now");
        assertNull(ModelHttp.retryAfter("soon"));
        assertNull(ModelHttp.retryAfter(null));
    }
}
