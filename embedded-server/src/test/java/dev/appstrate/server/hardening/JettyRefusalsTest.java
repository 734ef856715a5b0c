package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests Jetty refuses itself, before the API's pipeline sees them (a hostile caller's first tries: an encoded path
 * separator, a NUL, a huge URI or header), are answered in the API's problem+json like every other client error, on
 * every method, and the server goes on answering.
 */
class JettyRefusalsTest {
    @TempDir
    Path dataDir;

    @Test
    void whatJettyRefusesIsAProblemJsonOnEveryMethod() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            int port = s.server().port();
            String host = "Host: 127.0.0.1:" + port + "\r\n";
            String big = "a".repeat(70_000);
            String[][] cases = {
                    {"DELETE /api/api-keys/..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\n" + host, "400"},
                    {"PATCH /api/agents/%00 HTTP/1.1\r\n" + host + "Content-Length: 0\r\n", "400"},
                    {"GET /health HTTP/1.1\r\n" + host + "X-Big: " + big + "\r\n", "431"},
                    {"GET /api/" + big + " HTTP/1.1\r\n" + host, "414"},
            };
            for (String[] c : cases) {
                String answer = exchange(port, c[0] + "Connection: close\r\n\r\n");
                String what = c[0].substring(0, Math.min(60, c[0].length()));
                assertTrue(answer.startsWith("HTTP/1.1 " + c[1]), what + " -> " + answer.substring(0, Math.min(200, answer.length())));
                assertTrue(answer.toLowerCase().contains("\r\ncontent-type: application/problem+json"), what + " -> " + answer);
                JsonNode problem = Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                assertEquals(Integer.parseInt(c[1]), problem.get("status").asInt(), answer);
                assertTrue(problem.get("code").asText().matches("[a-z_]+"), answer);
                assertTrue(problem.get("requestId").asText().startsWith("req_"), answer);
            }
            assertEquals(200, s.get("/health").statusCode(), "the server still answers");
        }
    }

    private static String exchange(int port, String request) throws Exception {
        try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), port)) {
            sock.setSoTimeout(60_000);
            OutputStream out = sock.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = sock.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
