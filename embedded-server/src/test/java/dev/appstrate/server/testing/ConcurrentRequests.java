package dev.appstrate.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.IntStream;

/** Requests released at the same instant, for check-then-write races seen from the client. */
public final class ConcurrentRequests {
    private ConcurrentRequests() {
    }

    /** Sends {@code n} requests at once; returns status → count, every loser answering {@code loserCode}. */
    public static Map<Integer, Integer> race(int n, Function<Integer, HttpResponse<String>> request, String loserCode) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<HttpResponse<String>>> all = IntStream.range(0, n).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return request.apply(i);
            }, pool)).toList();
            go.countDown();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.join();
                byStatus.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() >= 400) {
                    assertEquals(loserCode, TestServer.json(r).get("code").asText(), r.body());
                }
            }
            return byStatus;
        } finally {
            pool.shutdownNow();
        }
    }
}
