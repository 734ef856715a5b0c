package dev.appstrate.runner;

import dev.appstrate.runner.http.HttpTransport;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One signed request to a run's sink (events, finalize, heartbeat, documents): a fresh signature per attempt, retried with
 * jittered backoff after a network failure, 429 or 5xx; any other 4xx is final, and 410 means the run is over.
 */
final class SignedRequests {
    private static final long RETRY_BASE_MILLIS = 120;

    private final StandardWebhookSignature signer;
    private final Clock clock;
    /** Told once the server answers 410: the run is terminal, so nothing more should be sent. */
    private final Runnable onSinkClosed;

    SignedRequests(StandardWebhookSignature signer, Clock clock, Runnable onSinkClosed) {
        this.signer = signer;
        this.clock = clock;
        this.onSinkClosed = onSinkClosed;
    }

    /** How one request ended, with the answer's body when it was delivered and the last status seen (0: none). */
    record Answer(EventSink.Delivery delivery, byte[] body, int status) {
        Answer(EventSink.Delivery delivery, byte[] body) {
            this(delivery, body, 0);
        }
    }

    /** One attempt of a request: sends it with these headers (the signature is fresh per attempt). */
    interface Attempt {
        HttpTransport.Response post(Map<String, String> headers) throws IOException, InterruptedException;
    }

    /** {@code request} until it is answered for good or {@code attempts} ran out. */
    Answer send(URI url, java.util.function.Supplier<String> ids, String signed, Attempt request, Map<String, String> extra,
                int attempts) {
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Map<String, String> headers = new LinkedHashMap<>(extra);
            headers.putAll(signer.headers(ids.get(), clock.millis() / 1000, signed));
            int status = 0;
            try (HttpTransport.Response resp = request.post(headers)) {
                status = resp.status();
                byte[] answer = resp.body().readAllBytes();
                if (status / 100 == 2) {
                    return new Answer(EventSink.Delivery.DELIVERED, answer);
                }
                if (status == 410) {
                    onSinkClosed.run();
                    RunnerLog.warn("sink closed by server (410); no more events will be sent", "url", url.getPath());
                    return new Answer(EventSink.Delivery.SINK_CLOSED, null);
                }
                if (status != 429 && status < 500) {
                    RunnerLog.warn("sink rejected request", "status", status, "url", url.getPath());
                    return new Answer(EventSink.Delivery.REJECTED, answer, status);
                }
            } catch (IOException e) {
                RunnerLog.debug("sink request failed", "url", url.getPath(), "error", e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(EventSink.Delivery.FAILED, null);
            }
            if (attempt < attempts) {
                long delay = Math.min(2000, RETRY_BASE_MILLIS << (attempt - 1));
                delay = (long) (delay * (1 + ThreadLocalRandom.current().nextDouble() * 0.5 - 0.25));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Answer(EventSink.Delivery.FAILED, null);
                }
            } else {
                RunnerLog.warn("sink request gave up", "url", url.getPath(), "attempts", attempts, "lastStatus", status);
            }
        }
        return new Answer(EventSink.Delivery.FAILED, null);
    }
}
