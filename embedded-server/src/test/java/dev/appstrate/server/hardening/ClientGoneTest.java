package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.appstrate.server.http.AppstrateHandler;
import dev.appstrate.server.testing.TestServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Issue 15.4: a client that drops the connection mid-body is not an error worth a log entry. */
class ClientGoneTest {
    @TempDir
    Path dataDir;

    @Test
    void droppingMidBodyLogsNoErrorAndTheServerCarriesOn() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        Logger handler = (Logger) LoggerFactory.getLogger(AppstrateHandler.class);
        Level before = handler.getLevel();
        try (TestServer s = TestServer.start(dataDir)) {
            handler.setLevel(Level.DEBUG); // after boot: the server sets levels from LOG_LEVEL
            synchronized (captured.list) {
                captured.list.clear(); // boot's own warnings are not what this test is about
            }
            int port = s.server().port();
            for (int i = 0; i < 20; i++) {
                try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    OutputStream out = sock.getOutputStream();
                    out.write(("POST /api/end-users HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                            + s.ownerToken() + "\r\nX-App-Id: " + s.defaultAppId()
                            + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"name\":")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
            assertEquals(200, s.get("/api/end-users").statusCode());
            long deadline = System.currentTimeMillis() + 30_000;
            while (goneLines(captured) < 20 && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(20, goneLines(captured), "one debug line per client that went away");
        } finally {
            root.detachAppender(captured);
            handler.setLevel(before);
        }
        List<String> loud = List.copyOf(captured.list).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        assertEquals(List.of(), loud);
    }

    private static long goneLines(ListAppender<ILoggingEvent> captured) {
        synchronized (captured.list) {
            return List.copyOf(captured.list).stream().filter(e -> e.getLevel() == Level.DEBUG
                    && e.getFormattedMessage().startsWith("Client went away")).count();
        }
    }
}
