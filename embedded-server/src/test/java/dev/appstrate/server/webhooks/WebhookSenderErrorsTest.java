package dev.appstrate.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a delivery that never reached its receiver says: read on the Webhooks page, in the test's notice and the log. */
class WebhookSenderErrorsTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void aRefusedConnectionSaysWhereAndWhatToCheckNotAJavaClassName() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again below: nothing listens there
        }
        WebhookSender.Response r = new WebhookSender("test").post(URI.create("http://127.0.0.1:" + port + "/hook"), "msg_1",
                1_700_000_000L, "{}".getBytes(StandardCharsets.UTF_8), List.of(SECRET), 1);
        assertNull(r.statusCode());
        // before: "Request failed: java.net.ConnectException"
        assertEquals("Connection refused by 127.0.0.1:" + port + ": is the receiver running and listening there?", r.error());
    }
}
