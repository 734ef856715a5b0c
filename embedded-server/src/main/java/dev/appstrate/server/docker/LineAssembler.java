package dev.appstrate.server.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns a container's log frames into lines. Frames are not lines: a line may span frames, a frame
 * may hold many lines, and a UTF-8 character may be split between two frames; so bytes are buffered
 * until a line end ({@code \n}, {@code \r\n} or a lone {@code \r}). ANSI escapes are stripped, over-long
 * lines are cut, and {@link #flush()} emits the last partial line when the stream ends.
 * One assembler per stream (stdout, stderr): interleaving two streams in one buffer mixes their lines.
 */
public final class LineAssembler {
    public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)|\u001B[@-Z\\\\-_]");

    private final Consumer<String> sink;
    private final int maxLineBytes;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    private boolean lastWasCr;

    public LineAssembler(Consumer<String> sink) {
        this(sink, DEFAULT_MAX_LINE_BYTES);
    }

    public LineAssembler(Consumer<String> sink, int maxLineBytes) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    /** Feeds one frame's payload. */
    public void accept(byte[] payload) {
        if (payload == null) {
            return;
        }
        for (byte b : payload) {
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false; // the \n of a \r\n: the line was emitted at the \r
                    continue;
                }
                emit();
            } else if (b == '\r') {
                emit();
                lastWasCr = true;
            } else {
                lastWasCr = false;
                buf.write(b);
                if (buf.size() >= maxLineBytes) {
                    emit();
                }
            }
        }
    }

    /** Emits what is buffered as a last line (the stream ended without a line end). */
    public void flush() {
        if (buf.size() > 0) {
            emit();
        }
        lastWasCr = false;
    }

    private void emit() {
        byte[] bytes = buf.toByteArray();
        buf.reset();
        int cut = bytes.length;
        if (bytes.length >= maxLineBytes) {
            cut = utf8Boundary(bytes, bytes.length);
            if (cut < bytes.length) {
                // keep the split character's first bytes for the next line
                buf.write(bytes, cut, bytes.length - cut);
            }
        }
        String line = ANSI.matcher(new String(bytes, 0, cut, StandardCharsets.UTF_8)).replaceAll("");
        sink.accept(line);
    }

    /** The largest index ≤ end that does not split a UTF-8 sequence. */
    private static int utf8Boundary(byte[] b, int end) {
        int i = end;
        int back = 0;
        while (i > 0 && back < 4 && (b[i - 1] & 0xC0) == 0x80) {
            i--;
            back++;
        }
        if (i > 0) {
            int lead = b[i - 1] & 0xFF;
            int len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (len > 1 && len > end - (i - 1)) {
                return i - 1; // the sequence starting at i-1 is incomplete
            }
        }
        return end;
    }
}
