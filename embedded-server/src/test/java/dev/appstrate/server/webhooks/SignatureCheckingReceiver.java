package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.server.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook consumer on loopback (the JDK's HTTP server), written from the Standard Webhooks spec and not from
 * our sender: it checks {@code webhook-signature} against the secrets it was given, and the timestamp tolerance.
 */
public final class SignatureCheckingReceiver implements AutoCloseable {
    /** One request as the consumer saw it. */
    public record Received(String id, long timestamp, String signature, String attempt, String body, boolean verified,
                           List<String> verifiedWith) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** A scripted answer. */
    record Reply(int status, Map<String, String> headers) {
    }

    private static final long TOLERANCE_SECONDS = 300;
    private final HttpServer server;
    private final Supplier<Clock> clock;
    private final List<String> trustedSecrets = new CopyOnWriteArrayList<>();
    private final Deque<Reply> replies = new ArrayDeque<>();
    private volatile Reply defaultReply = new Reply(200, Map.of());
    public final List<Received> received = new CopyOnWriteArrayList<>();

    public SignatureCheckingReceiver(Supplier<Clock> clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            String ts = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String sig = exchange.getRequestHeaders().getFirst("webhook-signature");
            List<String> matched = verify(id, ts, sig, body);
            received.add(new Received(id, ts == null ? -1 : Long.parseLong(ts), sig,
                    exchange.getRequestHeaders().getFirst("webhook-attempt"), new String(body, StandardCharsets.UTF_8),
                    !matched.isEmpty() && withinTolerance(ts), matched));
            Reply r = nextReply();
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(r.status(), -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public void trust(String... secrets) {
        trustedSecrets.clear();
        trustedSecrets.addAll(List.of(secrets));
    }

    synchronized void reply(int status, Map<String, String> headers) {
        replies.add(new Reply(status, headers));
    }

    void alwaysReply(int status) {
        defaultReply = new Reply(status, Map.of());
    }

    private synchronized Reply nextReply() {
        Reply r = replies.poll();
        return r != null ? r : defaultReply;
    }

    private boolean withinTolerance(String ts) {
        long now = clock.get().instant().getEpochSecond();
        return ts != null && Math.abs(now - Long.parseLong(ts)) <= TOLERANCE_SECONDS;
    }

    /** The trusted secrets whose v1 signature is among those sent. */
    private List<String> verify(String id, String ts, String header, byte[] body) {
        if (id == null || ts == null || header == null) {
            return List.of();
        }
        List<String> matched = new CopyOnWriteArrayList<>();
        for (String secret : trustedSecrets) {
            byte[] expected = hmac(secret, id + "." + ts + "." + new String(body, StandardCharsets.UTF_8));
            for (String part : header.split(" ")) {
                int comma = part.indexOf(',');
                if (comma < 0 || !part.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(part.substring(comma + 1));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    matched.add(secret);
                }
            }
        }
        return matched;
    }

    private static byte[] hmac(String secret, String content) {
        try {
            byte[] key = Base64.getUrlDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
