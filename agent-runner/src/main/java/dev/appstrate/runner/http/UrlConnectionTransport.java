package dev.appstrate.runner.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@link HttpTransport} over {@code HttpURLConnection}: blocking, no extra threads, JDK keep-alive pool. */
final class UrlConnectionTransport implements HttpTransport {
    private final int connectTimeoutMs;

    UrlConnectionTransport(Duration connectTimeout) {
        this.connectTimeoutMs = (int) connectTimeout.toMillis();
    }

    @Override
    public Response post(URI uri, Map<String, String> headers, Body body, Duration readTimeout) throws IOException {
        if (body instanceof Body.File f) {
            return postFile(uri, headers, f.path(), readTimeout);
        }
        // the read timeout bounds the answer: only a file upload (its 100 Continue) goes without one, see postFile
        HttpURLConnection c = open(uri, headers, readTimeout);
        // no fixed-length streaming mode: with it a 401 loses its body (HttpRetryException), and a
        // provider's "Incorrect API key" message is what the user needs to see
        try (OutputStream out = c.getOutputStream()) {
            out.write(((Body.Bytes) body).bytes());
        }
        return response(c);
    }

    private Response postFile(URI uri, Map<String, String> headers, Path file, Duration readTimeout) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            // no socket read timeout: JDK 17 then waits its own 5 s for 100 Continue and sends the body anyway (with one set,
            // it waits that whole timeout and fails: a proxy that ignores the expectation); the answer is bounded below
            HttpURLConnection c = open(uri, headers, Duration.ZERO);
            // streamed: without a fixed length HttpURLConnection buffers the whole body in memory before sending it
            c.setFixedLengthStreamingMode(size);
            // a server refusing from the headers (413, 401, 404) says so before the body; a cut-off body would lose its answer
            c.setRequestProperty("Expect", "100-continue");
            OutputStream body;
            try {
                body = c.getOutputStream();
            } catch (ProtocolException e) {
                return answeredBeforeBody(c, e);
            }
            try (OutputStream out = body) {
                byte[] buf = new byte[64 * 1024];
                long left = size;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException(file.getFileName() + " shrank while it was sent");
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            AnswerDeadline deadline = AnswerDeadline.arm(c, readTimeout);
            try {
                return response(c, deadline::cancel);
            } catch (IOException e) {
                deadline.cancel();
                throw deadline.fired() ? new SocketTimeoutException("No answer within " + readTimeout.toMillis() + " ms") : e;
            }
        }
    }

    /**
     * The server's final answer instead of 100 Continue ("Server rejected operation"): its status, no headers or body
     * (HttpURLConnection keeps them from us), and the connection dropped since the body it announced never follows.
     */
    private static Response answeredBeforeBody(HttpURLConnection c, ProtocolException e) throws ProtocolException {
        int status;
        try {
            status = c.getResponseCode();
        } catch (IOException unreadable) {
            throw e;
        }
        c.disconnect();
        if (status < 200) {
            throw e;
        }
        return new Answer(status, name -> null, InputStream.nullInputStream(), () -> { });
    }

    private HttpURLConnection open(URI uri, Map<String, String> headers, Duration readTimeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setConnectTimeout(connectTimeoutMs);
        c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setDoOutput(true);
        headers.forEach(c::setRequestProperty);
        return c;
    }

    private static Response response(HttpURLConnection c) throws IOException {
        return response(c, () -> { });
    }

    private static Response response(HttpURLConnection c, Runnable onClose) throws IOException {
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        return new Answer(status, c::getHeaderField, in != null ? in : new ByteArrayInputStream(new byte[0]), onClose);
    }

    /** A response as the connection gave it: status, header lookup (null when absent), body, and what closing also ends. */
    private record Answer(int status, java.util.function.UnaryOperator<String> headers, InputStream body, Runnable onClose)
            implements Response {
        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.apply(name));
        }

        @Override
        public void close() throws IOException {
            try {
                body.close();
            } finally {
                onClose.run();
            }
        }
    }
}
