package dev.appstrate.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.runs.RunRepository;
import dev.appstrate.server.secrets.KeyRing;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.DatabaseUrl;
import dev.appstrate.server.store.PostgresDatabase;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.TestTenant;
import dev.appstrate.server.testing.TestDatabases;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two instances writing one PostgreSQL database at once (two pools = two servers): what SQLite's single writer made
 * safe stays safe — a due webhook delivery is leased by one instance only, run numbers stay unique and the per-org
 * concurrency cap and the per-application webhook cap hold.
 */
@Tag("postgresql")
class ConcurrentWritersPostgresTest {
    private static final SecretBox BOX = new SecretBox(KeyRing.of("k1", new byte[32], Map.of()));
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private Database a;
    private Database b;

    @BeforeEach
    void open() {
        String url = TestDatabases.createDatabase();
        a = TestTenant.seed(PostgresDatabase.connect(DatabaseUrl.parse(url), 4), Clock.systemUTC());
        b = PostgresDatabase.connect(DatabaseUrl.parse(url), 4);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        a.close();
        b.close();
    }

    @Test
    void eachDueDeliveryIsLeasedByOneInstanceOnly() {
        Instant now = Instant.now();
        a.write(c -> {
            Rows.update(c, "INSERT INTO webhooks(id, level, org_id, application_id, url, events, secret, created_at, updated_at) "
                    + "VALUES ('wh_1', 'application', ?, ?, 'http://127.0.0.1:9/', '[\"run.success\"]', 'x', ?, ?)",
                    TestTenant.ORG, TestTenant.APP, now.toString(), now.toString());
            for (int i = 0; i < 60; i++) {
                Rows.update(c, "INSERT INTO webhook_deliveries(id, webhook_id, event_id, event_type, payload, status, attempts, "
                        + "max_attempts, next_attempt_at, created_at, updated_at) VALUES (?, 'wh_1', ?, 'run.success', '{}', "
                        + "'pending', 0, 3, ?, ?, ?)", "d" + i, "evt_" + i, now.toEpochMilli() - 1000, now.toString(), now.toString());
            }
            return null;
        });
        List<WebhookRepository> stores = List.of(new WebhookRepository(a, BOX), new WebhookRepository(b, BOX));
        List<String> leased = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> workers = IntStream.range(0, 8).mapToObj(w -> CompletableFuture.runAsync(() -> {
            await(go);
            WebhookRepository store = stores.get(w % 2);
            List<Delivery> got;
            do {
                got = store.leaseDue(now, now.plusSeconds(60), 3);
                got.forEach(d -> leased.add(d.id()));
            } while (!got.isEmpty());
        }, pool)).toList();
        go.countDown();
        workers.forEach(CompletableFuture::join);
        assertEquals(60, leased.size(), "every delivery leased once, none twice: " + leased);
        assertEquals(60, new HashSet<>(leased).size());
    }

    @Test
    void runNumbersStayUniqueAndTheCapHoldsAcrossInstances() {
        List<RunRepository> repos = List.of(new RunRepository(a), new RunRepository(b));
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> uncapped = IntStream.range(0, 30).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            await(go);
            return repos.get(i % 2).insertIfUnderCap(run("run_u" + i, "@acme/numbers", "succeeded"), 0);
        }, pool)).toList();
        List<CompletableFuture<Boolean>> capped = IntStream.range(0, 20).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            await(go);
            return repos.get(i % 2).insertIfUnderCap(run("run_c" + i, "@acme/capped", "pending"), 5);
        }, pool)).toList();
        go.countDown();
        uncapped.forEach(CompletableFuture::join);
        assertEquals(5, capped.stream().filter(CompletableFuture::join).count(), "at most 5 active runs per org");
        List<Long> numbers = a.read(c -> Rows.list(c, "SELECT run_number FROM runs WHERE package_id = '@acme/numbers' "
                + "ORDER BY run_number", rs -> rs.getLong(1)));
        assertEquals(IntStream.rangeClosed(1, 30).mapToObj(Long::valueOf).toList(), numbers, "run numbers 1..30, no repeats");
    }

    @Test
    void theWebhookCapHoldsAcrossInstances() {
        List<WebhookRepository> stores = List.of(new WebhookRepository(a, BOX), new WebhookRepository(b, BOX));
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> creates = IntStream.range(0, 24).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            await(go);
            return stores.get(i % 2).insertUnderCap(hook("wh_" + i), Webhooks.MAX_PER_SCOPE);
        }, pool)).toList();
        go.countDown();
        assertEquals(Webhooks.MAX_PER_SCOPE, creates.stream().filter(CompletableFuture::join).count(), "the losers were refused");
        assertEquals(Webhooks.MAX_PER_SCOPE, (long) a.read(c -> Rows.count(c, "SELECT COUNT(*) FROM webhooks WHERE application_id = ?",
                TestTenant.APP)), "never more than the cap in the application");
    }

    private static Webhook hook(String id) {
        Instant now = Instant.now();
        return new Webhook(id, "application", TestTenant.ORG, TestTenant.APP, "https://93.184.215.14/" + id, List.of("run.success"),
                null, "full", true, "whsec_x", null, null, now, now);
    }

    private static RunRecord run(String id, String packageId, String status) {
        String now = Instant.now().toString();
        return new RunRecord(id, status, new RunRecord.Scope(TestTenant.ORG, TestTenant.APP, packageId, "1.0.0", 0),
                new RunRecord.Origin(null, null, null, null), new RunRecord.Setup(null, null, null, 60, "process"),
                new RunRecord.Timing(now, null, null, null, 0, "succeeded".equals(status) ? now : null), RunRecord.Outcome.NONE);
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
