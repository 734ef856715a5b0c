package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One page of {@code GET /api/runs/{id}/logs?since=}: rows in id order and whether more follow. */
public record LogPage(List<JsonNode> rows, boolean hasMore) {
    public long lastId(long otherwise) {
        return rows.isEmpty() ? otherwise : rows.get(rows.size() - 1).path("id").asLong(otherwise);
    }
}
