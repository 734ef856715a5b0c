package dev.appstrate.server.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.TestTenant;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page of a run's log on a real database: as many rows as the limit and the size bound allow, whichever ends it first,
 * never none while one is left, and "more" exactly when a row follows (the rows are sized in chunks of 16, 64, 256 …,
 * so the limits sit on and beside those edges).
 */
class RunLogPageTest {
    private static final String RUN = "run_pages";
    @TempDir
    Path dir;
    private Database db;
    private RunRepository repo;
    private final List<Long> ids = new ArrayList<>();

    @BeforeEach
    void open() {
        db = TestTenant.open(dir.resolve("appstrate.db"), Clock.systemUTC());
        repo = new RunRepository(db);
        run(RUN, TestTenant.APP);
    }

    private void run(String id, String app) {
        String now = Instant.now().toString();
        repo.insertIfUnderCap(new RunRecord(id, "running", new RunRecord.Scope(TestTenant.ORG, app, "@acme/pages", "1.0.0", 0),
                new RunRecord.Origin(null, null, null, null), new RunRecord.Setup(null, null, null, 60, "process"),
                new RunRecord.Timing(now, null, null, null, 0, null), RunRecord.Outcome.NONE), 0);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** {@code n} rows of {@code chars} characters each, at {@code level}. */
    private void log(int n, int chars, String level) {
        for (int i = 0; i < n; i++) {
            String message = (ids.size() + "|" + "x".repeat(chars)).substring(0, chars);
            ids.add(repo.appendLog(RUN, TestTenant.ORG, new RunRepository.NewLog("progress", level, null, message, null),
                    Instant.now().toString()));
        }
    }

    private static List<Long> idsOf(RunRepository.LogPage page) {
        return page.rows().stream().map((ObjectNode r) -> r.get("id").asLong()).toList();
    }

    @Test
    void theLimitEndsAPageOnAndBesideTheChunkEdges() {
        log(400, 10, "info");
        for (int limit : new int[] {1, 15, 16, 17, 80, 81, 336, 337, 399}) {
            RunRepository.LogPage page = repo.logPage(RUN, 0, 0, limit, Long.MAX_VALUE);
            assertEquals(ids.subList(0, limit), idsOf(page), "limit " + limit);
            assertTrue(page.more(), "limit " + limit + ": rows follow");
        }
        RunRepository.LogPage all = repo.logPage(RUN, 0, 0, 400, Long.MAX_VALUE);
        assertEquals(ids, idsOf(all));
        assertFalse(all.more(), "the limit met the last row exactly: nothing follows");
        RunRepository.LogPage tail = repo.logPage(RUN, ids.get(319), 0, 80, Long.MAX_VALUE);
        assertEquals(ids.subList(320, 400), idsOf(tail));
        assertFalse(tail.more());
        assertFalse(repo.logPage(RUN, 0, 0, 1000, Long.MAX_VALUE).more(), "a limit past the end");
    }

    @Test
    void theSizeBoundEndsAPageButNeverBeforeItsFirstRow() {
        log(1, 1_000, "info");
        log(100, 10, "info");
        RunRepository.LogPage big = repo.logPage(RUN, 0, 0, 100, 100);
        assertEquals(List.of(ids.get(0)), idsOf(big), "a first row over the bound still comes, alone");
        assertTrue(big.more());
        // 16 rows of 10 fit in 165 characters; the 17th, the second chunk's first, crosses it
        RunRepository.LogPage edge = repo.logPage(RUN, ids.get(0), 0, 100, 165);
        assertEquals(ids.subList(1, 17), idsOf(edge));
        assertTrue(edge.more());
        RunRepository.LogPage exact = repo.logPage(RUN, ids.get(0), 0, 100, 160);
        assertEquals(ids.subList(1, 17), idsOf(exact), "a row that ends exactly on the bound is in");
    }

    @Test
    void pagesInARowReadEveryRowAtTheLevelOnceInOrder() {
        for (int i = 0; i < 60; i++) {
            log(1, 20 + i, i % 3 == 0 ? "debug" : "info");
        }
        List<Long> read = new ArrayList<>();
        long since = 0;
        int pages = 0;
        for (boolean more = true; more; pages++) {
            RunRepository.LogPage page = repo.logPage(RUN, since, 1, 7, 200);
            assertFalse(page.rows().isEmpty(), "a page that says more follows is never empty");
            page.rows().forEach(r -> assertEquals("info", r.get("level").asText()));
            read.addAll(idsOf(page));
            since = read.get(read.size() - 1);
            more = page.more();
        }
        List<Long> info = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (i % 3 != 0) {
                info.add(ids.get(i));
            }
        }
        assertEquals(info, read, "every info row once, in order, no debug row");
        assertTrue(pages > 6, "the size bound and the limit made several pages: " + pages);
    }

    @Test
    void anApplicationsPagesAreBoundedBySizeAndReadItsRunsRowsOnceInOrder() {
        db.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO applications (id, org_id, name, is_default, created_at, updated_at) VALUES ('app_other', '"
                        + TestTenant.ORG + "', 'Other', 0, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')");
            }
            return null;
        });
        run("run_second", TestTenant.APP);
        run("run_other", "app_other");
        List<Long> mine = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            String runId = i % 3 == 0 ? RUN : i % 3 == 1 ? "run_second" : "run_other";
            int chars = i % 10 == 4 ? 20_000 : 50; // a few huge rows among small ones
            long id = repo.appendLog(runId, TestTenant.ORG, new RunRepository.NewLog("progress", "debug", null, "y".repeat(chars), null),
                    Instant.now().toString());
            if (!runId.equals("run_other")) {
                mine.add(id);
            }
        }
        List<Long> read = new ArrayList<>();
        long since = 0;
        for (boolean more = true; more; ) {
            RunRepository.LogPage page = repo.logsOfApplication(TestTenant.APP, since, 1000, 30_000);
            assertFalse(page.rows().isEmpty(), "a page that says more follows is never empty");
            long chars = page.rows().stream().mapToLong(r -> r.get("message").asText().length()).sum();
            assertTrue(page.rows().size() == 1 || chars <= 30_000, "a page over the bound holds one row alone: " + chars);
            page.rows().forEach(r -> assertTrue(r.get("runId").asText().startsWith("run_") && !r.get("runId").asText().equals("run_other")));
            read.addAll(idsOf(page));
            since = read.get(read.size() - 1);
            more = page.more();
        }
        assertEquals(mine, read, "every row of the application's runs once, in order, none of another application's");
        assertEquals(List.of(mine.get(0)), idsOf(repo.logsOfApplication(TestTenant.APP, 0, 1, Long.MAX_VALUE)), "the limit still ends a page");
        RunRepository.LogPage huge = repo.logsOfApplication(TestTenant.APP, mine.get(2), 1000, 100);
        assertEquals(List.of(mine.get(3)), idsOf(huge), "a first row over the bound still comes, alone");
        assertTrue(huge.more());
    }
}
