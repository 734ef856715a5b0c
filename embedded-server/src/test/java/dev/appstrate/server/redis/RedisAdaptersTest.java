package dev.appstrate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.config.RedisUrl;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.IdempotencyKeys;
import dev.appstrate.server.http.IdempotencyStore;
import dev.appstrate.server.http.RateLimiter;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.store.Times;
import dev.appstrate.server.testing.TestRedis;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each Redis adapter against a real Redis, two instances' worth of connections sharing it. */
class RedisAdaptersTest {
    private SharedRedis a;
    private SharedRedis b;

    @BeforeEach
    void connect() {
        RedisUrl url = RedisUrl.parse(TestRedis.freshDatabase());
        a = SharedRedis.connect(url, "inst_a_" + UUID.randomUUID());
        b = SharedRedis.connect(url, "inst_b_" + UUID.randomUUID());
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void twoLimitersCountOneWindowTogether() {
        RateLimiter onA = new RedisRateLimiter(a);
        RateLimiter onB = new RedisRateLimiter(b);
        String key = "POST:/api/agents/{scope}/{name}/run:key_" + UUID.randomUUID();
        List<RateLimiter.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            outcomes.add((i % 2 == 0 ? onA : onB).hit(key, 5, 60));
        }
        assertEquals(List.of(4, 3, 2, 1, 0, 0), outcomes.stream().map(RateLimiter.Outcome::remaining).toList());
        assertTrue(outcomes.subList(0, 5).stream().allMatch(RateLimiter.Outcome::allowed));
        assertFalse(outcomes.get(5).allowed(), "the sixth hit, on the other instance, is over the shared limit");
        assertTrue(outcomes.get(5).resetSeconds() >= 59 && outcomes.get(5).resetSeconds() <= 60, "" + outcomes.get(5));
        assertTrue(onA.hit("other:" + key, 5, 60).allowed(), "another identity has its own window");
    }

    @Test
    void aRequestThatSucceededIsNotTurnedIntoAnErrorWhenRedisCannotRecordItsAnswer() {
        SharedRedis c = SharedRedis.connect(a.url(), "inst_c_" + UUID.randomUUID());
        IdempotencyStore onC = new IdempotencyStore(new RedisIdempotencyKeys(c));
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertNull(onC.before("idem:org_1:app_1", "k-lost", body));
        c.close(); // Redis goes away while the run is being started
        ApiResponse created = ApiResponse.bytes(201, "application/json", "{\"id\":\"run_1\"}".getBytes(StandardCharsets.UTF_8));
        // the run exists: its 201 must reach the caller (logged, not thrown), and a failed one keeps its own error
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> onC.after("idem:org_1:app_1", "k-lost", body, created, false));
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> onC.after("idem:org_1:app_1", "k-lost", body, null, true));
    }

    @Test
    void anIdempotencyKeyIsSharedAcrossStores() {
        IdempotencyStore onA = new IdempotencyStore(new RedisIdempotencyKeys(a));
        IdempotencyStore onB = new IdempotencyStore(new RedisIdempotencyKeys(b));
        byte[] body = "{\"input\":{\"topic\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
        String scope = "idem:org_1:app_1";
        assertNull(onA.before(scope, "k-1", body), "the first request proceeds");
        ApiException inProgress = assertThrows(ApiException.class, () -> onB.before(scope, "k-1", body));
        assertEquals(409, inProgress.status());
        ApiResponse created = ApiResponse.bytes(201, "application/json", "{\"id\":\"run_1\"}".getBytes(StandardCharsets.UTF_8));
        created.header("Location", "/api/runs/run_1");
        onA.after(scope, "k-1", body, created, false);
        ApiResponse replay = onB.before(scope, "k-1", body);
        assertEquals(201, replay.status());
        assertEquals("{\"id\":\"run_1\"}", new String(replay.body(), StandardCharsets.UTF_8));
        assertEquals("true", replay.headers().get("Idempotent-Replayed"));
        assertEquals("/api/runs/run_1", replay.headers().get("Location"));
        ApiException otherBody = assertThrows(ApiException.class, () -> onB.before(scope, "k-1", "{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(422, otherBody.status());
        // a failed request releases its key on every instance
        assertNull(onB.before(scope, "k-2", body));
        onB.after(scope, "k-2", body, null, true);
        assertNull(onA.before(scope, "k-2", body));
    }

    @Test
    void ofManyRacingClaimsExactlyOneWins() throws Exception {
        List<IdempotencyKeys> stores = List.of(new RedisIdempotencyKeys(a), new RedisIdempotencyKeys(b));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<IdempotencyKeys.Entry>> claims = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                IdempotencyKeys s = stores.get(i % 2);
                claims.add(pool.submit(() -> {
                    go.await();
                    return s.claim("race", new IdempotencyKeys.Entry("h", null), 60_000);
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<IdempotencyKeys.Entry> f : claims) {
                if (f.get(10, TimeUnit.SECONDS) == null) {
                    winners++;
                }
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void runEventsReachTheOtherInstanceInOrderAndOnlyOnce() throws Exception {
        RunEventBus busA = new RunEventBus();
        RunEventBus busB = new RunEventBus();
        new RedisRunEventRelay(a, busA).start();
        new RedisRunEventRelay(b, busB).start();
        ConcurrentLinkedQueue<Long> onB = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> onA = new ConcurrentLinkedQueue<>();
        CountDownLatch allOnB = new CountDownLatch(2000);
        busB.listen(e -> e.runId().equals("run_x"), e -> {
            onB.add(e.logId());
            allOnB.countDown();
        });
        busA.listen(e -> e.runId().equals("run_x"), e -> onA.add(e.logId()));
        for (long id = 1; id <= 2000; id++) {
            busA.publish(new RunEvent(RunEvent.RUN_LOG, "app_1", "run_x", id, Json.object().put("message", "line " + id)));
        }
        assertTrue(allOnB.await(30, TimeUnit.SECONDS), "B received " + onB.size() + " of 2000");
        assertEquals(LongStream.rangeClosed(1, 2000).boxed().toList(), List.copyOf(onB));
        assertEquals(LongStream.rangeClosed(1, 2000).boxed().toList(), List.copyOf(onA), "A's own subscribers get each once");
    }

    @Test
    void aRunIsLeftToItsLiveOwnerAndOrphanedWhenTheOwnerStops() {
        Clock clock = Clock.systemUTC();
        RedisRunOwnership ownerA = new RedisRunOwnership(a, Duration.ofSeconds(30), clock);
        RedisRunOwnership peerB = new RedisRunOwnership(b, Duration.ofSeconds(30), clock);
        ownerA.start("http://a");
        peerB.start("http://b");
        String old = Times.iso(clock.instant().minusSeconds(600));
        RunRecord run = run("run_" + UUID.randomUUID(), old);
        ownerA.claim(run.id());
        assertTrue(peerB.runByLivePeer(run), "A is alive and owns it");
        assertFalse(ownerA.runByLivePeer(run), "not a peer's run for its owner");
        ownerA.close();
        assertFalse(peerB.runByLivePeer(run), "A's heartbeat is gone: the run is an orphan");
        RunRecord fresh = run("run_" + UUID.randomUUID(), Times.iso(clock.instant()));
        assertTrue(peerB.runByLivePeer(fresh), "a run just created without an owner yet may be a peer's in admission");
        assertFalse(peerB.runByLivePeer(run("run_" + UUID.randomUUID(), old)), "an old run without any owner is an orphan");
        peerB.close();
    }

    @Test
    void anUnreachableRedisSaysWhatWasTriedWithoutThePassword() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        RedisUrl url = RedisUrl.parse("redis://:hunter2-secret@127.0.0.1:" + closed + "/0");
        RedisUnavailableException e = assertThrows(RedisUnavailableException.class, () -> SharedRedis.connect(url, "inst_x"));
        assertTrue(e.getMessage().contains("redis://:***@127.0.0.1:" + closed + "/0"), e.getMessage());
        assertTrue(e.getMessage().contains("redis-cli -u \"$REDIS_URL\" ping"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    private static RunRecord run(String id, String startedAt) {
        return new RunRecord(id, "running", new RunRecord.Scope("org_1", "app_1", "pkg_1", "1.0.0", 1),
                new RunRecord.Origin(null, null, null, null), new RunRecord.Setup(null, null, null, 60, "process"),
                new RunRecord.Timing(startedAt, null, null, startedAt, 0, null), RunRecord.Outcome.NONE);
    }
}
