package dev.appstrate.desktop.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A page of runs ({@code GET /api/runs}): the runs and, when the server counts them, how many there are in all. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunPage(List<Run> data, Long total) {
    public RunPage {
        data = data == null ? List.of() : List.copyOf(data);
    }

    public static RunPage of(JsonNode page) {
        return DesktopJson.MAPPER.convertValue(page, RunPage.class);
    }

    /** The total when the server gives one, else the number on this page. */
    public long totalOr() {
        return total != null ? total : data.size();
    }
}
