package dev.appstrate.server.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Issue 15.9: background work logs its failures and keeps going; every thread comes from the named factory. */
class CatchingExecutorsTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void capture() {
        logger = (Logger) LoggerFactory.getLogger(CatchingExecutors.class);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    @Test
    void aWatchdogKeepsRunningAfterAnInjectedException() throws Exception {
        ScheduledExecutorService timers = NamedExecutors.scheduled("watchdog-test", 1);
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch thirdRun = new CountDownLatch(3);
            timers.scheduleWithFixedDelay(() -> {
                thirdRun.countDown();
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("database is locked (injected)");
                }
            }, 0, 10, TimeUnit.MILLISECONDS);
            assertTrue(thirdRun.await(30, TimeUnit.SECONDS), "the task stopped after its failure; runs=" + runs.get());
            List<ILoggingEvent> errors = errors();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).getThrowableProxy().getMessage().contains("injected"));
            assertTrue(errors.get(0).getFormattedMessage().contains("thread=watchdog-test-"), errors.get(0).getFormattedMessage());
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void aFailedOneShotTimerIsLoggedNotSwallowed() throws Exception {
        ScheduledExecutorService timers = NamedExecutors.scheduled("oneshot-test", 1);
        try {
            timers.schedule(() -> {
                throw new IllegalStateException("docker stop failed (injected)");
            }, 0, TimeUnit.MILLISECONDS);
            CountDownLatch after = new CountDownLatch(1);
            timers.schedule(after::countDown, 0, TimeUnit.MILLISECONDS);
            assertTrue(after.await(30, TimeUnit.SECONDS));
            timers.shutdown();
            assertTrue(timers.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(1, errors().size());
            assertTrue(errors().get(0).getThrowableProxy().getMessage().contains("injected"));
        } finally {
            timers.shutdownNow();
        }
    }

    @Test
    void aSubmittedTaskThatFailsIsLogged() throws Exception {
        ExecutorService single = NamedExecutors.single("submit-test");
        single.submit(() -> {
            throw new IllegalStateException("lost future (injected)");
        });
        single.shutdown();
        assertTrue(single.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(1, errors().size());
    }

    @Test
    void noRawThreadsOutsideTheNamedFactory() throws IOException {
        Path main = Path.of("src/main/java");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.endsWith("concurrent/NamedExecutors.java") && !p.endsWith("server/Main.java"))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream()
                                    .filter(l -> l.contains("new Thread(") || l.contains("Executors.new"))
                                    .map(l -> main.relativize(p) + ": " + l.strip());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }).toList();
        }
        assertEquals(List.of(), offenders, "threads come from NamedExecutors (named, and they log what they die of)");
    }

    private List<ILoggingEvent> errors() {
        synchronized (log.list) {
            return log.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
        }
    }
}
