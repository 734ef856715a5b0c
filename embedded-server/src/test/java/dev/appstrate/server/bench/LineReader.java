package dev.appstrate.server.bench;

import java.io.IOException;
import java.io.InputStream;

/**
 * Unsynchronized line reading for the bench's clients: {@code BufferedInputStream.read()} takes a lock per byte,
 * which made the 10 subscribers' byte-by-byte parsing the largest CPU user of the fan-out bench's own JVM.
 */
final class LineReader {
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int end;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Reads one line into {@code line} without its CR LF (truncated to its length); throws at the end of the stream. */
    int readLine(byte[] line) throws IOException {
        int n = 0;
        while (true) {
            if (pos == end && !fill()) {
                throw new IOException("stream ended");
            }
            int i = pos;
            while (i < end && buf[i] != '\n') {
                i++;
            }
            int take = Math.min(i - pos, line.length - n);
            System.arraycopy(buf, pos, line, n, take);
            n += take;
            if (i < end) {
                pos = i + 1;
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            pos = end;
        }
    }

    /** Skips {@code n} bytes (a response body). */
    void skip(int n) throws IOException {
        while (n > 0) {
            if (pos == end && !fill()) {
                throw new IOException("stream ended");
            }
            int take = Math.min(n, end - pos);
            pos += take;
            n -= take;
        }
    }

    /** Reads {@code n} bytes. */
    byte[] read(int n) throws IOException {
        byte[] out = new byte[n];
        int got = 0;
        while (got < n) {
            if (pos == end && !fill()) {
                throw new IOException("stream ended");
            }
            int take = Math.min(n - got, end - pos);
            System.arraycopy(buf, pos, out, got, take);
            pos += take;
            got += take;
        }
        return out;
    }

    private boolean fill() throws IOException {
        int r = in.read(buf, 0, buf.length);
        if (r <= 0) {
            return false;
        }
        pos = 0;
        end = r;
        return true;
    }
}
