package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request refused on its headers alone (here: no credential) whose body has not arrived yet: the server will not
 * keep that connection, so its answer says {@code Connection: close} and a client's pool does not reuse it.
 */
class EarlyRefusalTest {
    @TempDir
    Path dataDir;

    @Test
    void aRefusalBeforeTheBodyTellsTheClientTheConnectionCloses() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            int port = s.server().port();
            try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = sock.getOutputStream();
                out.write(("POST /api/end-users HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush(); // the body is never sent: the answer comes on the headers alone
                String head = responseHead(sock.getInputStream());
                assertTrue(head.startsWith("HTTP/1.1 401"), head);
                assertTrue(head.toLowerCase().contains("\r\nconnection: close\r\n"), head);
            }
            assertEquals(200, s.get("/api/end-users").statusCode());
        }
    }

    private static String responseHead(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
