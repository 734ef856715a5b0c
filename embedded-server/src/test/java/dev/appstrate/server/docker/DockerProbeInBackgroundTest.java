package dev.appstrate.server.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19: /health answers at once while the Docker probe runs in the background, then says why it failed. */
class DockerProbeInBackgroundTest {

    @Test
    void healthAnswersBeforeAHangingEngineAndThenReportsTheTimeout(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("docker.sock");
        CountDownLatch probeGaveUp = new CountDownLatch(1);
        try (ServerSocketChannel engine = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            engine.bind(UnixDomainSocketAddress.of(socket));
            Thread accepter = new Thread(() -> silentEngine(engine, probeGaveUp), "silent-engine");
            accepter.setDaemon(true);
            accepter.start();
            try (TestServer s = TestServer.start(dir.resolve("data"), Map.of("DOCKER_HOST", "unix://" + socket))) {
                HttpResponse<String> first = s.get("/health");
                assertEquals(200, first.statusCode(), first.body());
                JsonNode docker = TestServer.json(first).at("/checks/docker");
                assertEquals("checking", docker.path("status").asText(), "the probe is still waiting on the engine: " + docker);
                assertEquals("healthy", TestServer.json(first).path("status").asText(), first.body());

                assertTrue(probeGaveUp.await(60, TimeUnit.SECONDS), "the probe never gave up on the silent engine");
                // on demand it probes again (after the background probe recorded its result) and says why
                JsonNode status = TestServer.json(s.get("/api/docker"));
                assertTrue(status.path("reason").asText().contains("did not answer"), status.toString());
                JsonNode after = TestServer.json(s.get("/health"));
                assertEquals("unavailable", after.at("/checks/docker/status").asText(), after.toString());
                assertTrue(after.at("/checks/docker/reason").asText().contains("within"), after.toString());
                assertEquals("healthy", after.path("status").asText(), "process mode does not need Docker: " + after);
            }
        }
    }

    /** Accepts every connection and never answers; counts down when a client gives up and closes its end. */
    private static void silentEngine(ServerSocketChannel engine, CountDownLatch clientGaveUp) {
        try {
            while (true) {
                SocketChannel c = engine.accept();
                Thread reader = new Thread(() -> {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    try (c) {
                        while (c.read(buf.clear()) >= 0) {
                            // swallow the request; never answer
                        }
                    } catch (IOException e) {
                        // the client reset its end: it gave up too
                    }
                    clientGaveUp.countDown();
                }, "silent-engine-conn");
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException e) {
            // closed at the end of the test
        }
    }
}
