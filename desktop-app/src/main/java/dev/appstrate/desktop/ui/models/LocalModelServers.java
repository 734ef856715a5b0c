package dev.appstrate.desktop.ui.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.appstrate.desktop.client.DesktopJson;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Finds a local OpenAI-compatible server on its usual loopback port (Ollama 11434, LM Studio 1234). */
public final class LocalModelServers {
    /** A server that answered {@code GET /v1/models}. */
    public record Found(String name, String baseUrl, List<String> models) {
    }

    /** The OpenAI-compatible {@code GET /v1/models} answer, as far as it is read here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModelList(List<Entry> data) {
        @JsonIgnoreProperties(ignoreUnknown = true)
        record Entry(String id) {
        }

        List<String> ids() {
            return data == null ? List.of() : data.stream().map(e -> e.id() == null ? "" : e.id()).toList();
        }
    }

    static final List<String[]> USUAL = List.of(
            new String[] {"Ollama", "http://127.0.0.1:11434/v1"},
            new String[] {"LM Studio", "http://127.0.0.1:1234/v1"});

    private LocalModelServers() {
    }

    public static Optional<Found> probe() {
        return probe(USUAL);
    }

    static Optional<Found> probe(List<String[]> candidates) {
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(Duration.ofMillis(400)).readTimeout(Duration.ofSeconds(2)).build();
        try {
            for (String[] c : candidates) {
                try (Response r = http.newCall(new Request.Builder().url(c[1] + "/models").build()).execute()) {
                    if (r.isSuccessful()) {
                        ModelList body = DesktopJson.MAPPER.readValue(r.body().string(), ModelList.class);
                        return Optional.of(new Found(c[0], c[1], body.ids()));
                    }
                } catch (Exception e) {
                    // nothing listening there: try the next usual port
                }
            }
            return Optional.empty();
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
