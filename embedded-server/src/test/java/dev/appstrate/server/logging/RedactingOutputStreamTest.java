package dev.appstrate.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An upstream answer echoing a credential reaches the agent masked, however the bytes are split. */
class RedactingOutputStreamTest {
    static final String KEY = "sk_live_0123456789abcdef";
    static final String TEXT = "{\"auth\":\"Bearer " + KEY + "\",\"again\":\"" + KEY + "\",\"short\":\"abc\"}";
    static final String MASKED = "{\"auth\":\"Bearer " + Redactor.MASK + "\",\"again\":\"" + Redactor.MASK + "\",\"short\":\"abc\"}";

    @Test
    void masksValuesSplitAcrossEveryPossibleChunking() throws Exception {
        byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
        for (int chunk = 1; chunk <= bytes.length; chunk++) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            RedactingOutputStream out = new RedactingOutputStream(sink, List.of(KEY, "abc"));
            for (int i = 0; i < bytes.length; i += chunk) {
                out.write(bytes, i, Math.min(chunk, bytes.length - i));
                out.flush();
            }
            out.finish();
            assertEquals(MASKED, sink.toString(StandardCharsets.UTF_8), "chunk size " + chunk);
        }
    }

    @Test
    void aStreamedEventIsForwardedWholeAtFlushUnlessItEndsLikeTheStartOfAValue() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RedactingOutputStream out = new RedactingOutputStream(sink, List.of(KEY));
        String event = "data: {\"delta\":\"hello\"}\n\n";
        out.write(event.getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertEquals(event, sink.toString(StandardCharsets.UTF_8), "nothing held back: the agent sees the token now");
        out.write("data: sk_live_01".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertEquals(event + "data: ", sink.toString(StandardCharsets.UTF_8), "a possible start of the key waits");
        out.write("23456789abcdef\n\n".getBytes(StandardCharsets.UTF_8));
        out.finish();
        assertEquals(event + "data: " + Redactor.MASK + "\n\n", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theLongerOfTwoOverlappingValuesIsMaskedWhole() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (RedactingOutputStream out = new RedactingOutputStream(sink, List.of("secret-part", "secret-part-and-more"))) {
            out.write("x secret-part-and-more y secret-part z".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("x " + Redactor.MASK + " y " + Redactor.MASK + " z", sink.toString(StandardCharsets.UTF_8));
    }

    /**
     * A provider's JSON error body quotes the key JSON-escaped: a key with a quote, a backslash or a slash in it reached the
     * agent whole, since only its raw bytes were matched (hostile caller, session 11: a key {@code {"k":"…"}}).
     */
    @Test
    void aKeyQuotedInsideAJsonStringIsMaskedToo() throws Exception {
        String fragment = "{\"k\":\"sk-json-fragment-0d1e\"}";
        String slashed = "abc/def+ghi\\jkl";
        String body = "{\"error\":{\"message\":\"Incorrect API key provided: {\\\"k\\\":\\\"sk-json-fragment-0d1e\\\"}\","
                + "\"php\":\"abc\\/def+ghi\\\\jkl\",\"plain\":\"abc/def+ghi\\\\jkl\"}}";
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (RedactingOutputStream out = new RedactingOutputStream(sink, List.of(fragment, slashed))) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("{\"error\":{\"message\":\"Incorrect API key provided: " + Redactor.MASK + "\",\"php\":\"" + Redactor.MASK
                + "\",\"plain\":\"" + Redactor.MASK + "\"}}", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutValuesBytesPassUntouched() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RedactingOutputStream out = new RedactingOutputStream(sink, List.of());
        out.write(new byte[] {0, 1, 2, (byte) 0xff});
        out.finish();
        assertEquals(4, sink.size());
    }
}
