package dev.appstrate.server.logging;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Masks known secret values in a byte stream as it passes (an upstream that echoes the credential back
 * must not hand it to the agent). Holds back only a tail that could be the start of a value, so a value
 * split across two writes is still caught and everything else (an SSE event ending in a newline) is
 * forwarded at once: streaming stays streaming.
 */
public final class RedactingOutputStream extends FilterOutputStream {
    private static final byte[] MASK = Redactor.MASK.getBytes(StandardCharsets.UTF_8);
    private final List<byte[]> values;
    private final int keep;
    private byte[] pending = new byte[0];

    public RedactingOutputStream(OutputStream out, Collection<String> secrets) {
        super(out);
        Set<String> distinct = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s != null && s.length() >= Redactor.MIN_LENGTH) {
                distinct.addAll(Redactor.forms(s)); // an upstream's JSON error body quotes a key JSON-escaped
            }
        }
        List<byte[]> v = new ArrayList<>();
        for (String s : distinct) {
            v.add(s.getBytes(StandardCharsets.UTF_8));
        }
        // longest first so a value that contains another is masked whole
        v.sort(Comparator.comparingInt((byte[] b) -> b.length).reversed());
        this.values = List.copyOf(v);
        this.keep = v.isEmpty() ? 0 : v.get(0).length - 1;
    }

    /** Relays {@code in} to {@code out} as it arrives (flushed per read, so streams stay live), secrets masked. */
    public static void relay(InputStream in, OutputStream out, Collection<String> secrets) throws IOException {
        RedactingOutputStream masked = new RedactingOutputStream(out, secrets);
        try (in) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                masked.write(buf, 0, n);
                masked.flush();
            }
        }
        masked.finish();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (values.isEmpty()) {
            out.write(b, off, len);
            return;
        }
        byte[] buf = new byte[pending.length + len];
        System.arraycopy(pending, 0, buf, 0, pending.length);
        System.arraycopy(b, off, buf, pending.length, len);
        emit(buf, false);
    }

    @Override
    public void flush() throws IOException {
        // the held-back tail may still be the start of a value: it leaves only on close
        out.flush();
    }

    /** Sends the held-back tail (masked) and flushes, leaving the underlying stream open. */
    public void finish() throws IOException {
        emit(pending, true);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            super.close();
        }
    }

    private void emit(byte[] buf, boolean last) throws IOException {
        ByteArrayOutputStream masked = new ByteArrayOutputStream(buf.length);
        int i = 0;
        // bytes from safeEnd on are held back: the longest tail that is the beginning of some value
        int safeEnd = last ? buf.length : holdFrom(buf);
        while (i < safeEnd) {
            byte[] hit = matchAt(buf, i);
            if (hit != null) {
                masked.write(MASK);
                i += hit.length;
            } else {
                masked.write(buf[i]);
                i++;
            }
        }
        int from = Math.min(i, buf.length);
        pending = last ? new byte[0] : Arrays.copyOfRange(buf, from, buf.length);
        masked.writeTo(out);
    }

    private int holdFrom(byte[] buf) {
        for (int p = Math.max(0, buf.length - keep); p < buf.length; p++) {
            for (byte[] v : values) {
                if (startsWith(v, buf, p)) {
                    return p;
                }
            }
        }
        return buf.length;
    }

    /** Whether {@code buf[from..]} is the beginning of {@code value}. */
    private static boolean startsWith(byte[] value, byte[] buf, int from) {
        int n = buf.length - from;
        if (n > value.length) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (buf[from + k] != value[k]) {
                return false;
            }
        }
        return true;
    }

    private byte[] matchAt(byte[] buf, int at) {
        for (byte[] v : values) {
            if (at + v.length <= buf.length && regionEquals(buf, at, v)) {
                return v;
            }
        }
        return null;
    }

    private static boolean regionEquals(byte[] buf, int at, byte[] v) {
        for (int k = 0; k < v.length; k++) {
            if (buf[at + k] != v[k]) {
                return false;
            }
        }
        return true;
    }
}
