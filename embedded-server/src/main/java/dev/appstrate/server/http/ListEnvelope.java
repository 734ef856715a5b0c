package dev.appstrate.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.json.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The original's list envelope {@code {object:"list", data, hasMore, total?}} and its Link headers. */
public final class ListEnvelope {
    private ListEnvelope() {
    }

    public static ObjectNode of(List<?> items, boolean hasMore, Long total) {
        ObjectNode n = Json.object();
        n.put("object", "list");
        ArrayNode data = n.putArray("data");
        for (Object o : items) {
            data.add(Json.MAPPER.valueToTree(o));
        }
        n.put("hasMore", hasMore);
        if (total != null) {
            n.put("total", total);
        }
        return n;
    }

    /** Offset pagination: limit 1..max and offset ≥ 0, else 400 invalid_request naming the parameter. */
    public record Page(int limit, int offset) {
        public static Page from(ApiRequest req, int defaultLimit, int maxLimit) {
            return new Page(ListEnvelope.limit(req, defaultLimit, maxLimit),
                    ListEnvelope.intParam(req, "offset", 0, 0, Integer.MAX_VALUE));
        }
    }

    /** {@code ?limit=}: the default when absent, 400 with param when not an integer in 1..max (the original's schema). */
    public static int limit(ApiRequest req, int defaultLimit, int maxLimit) {
        return intParam(req, "limit", defaultLimit, 1, maxLimit);
    }

    /** An integer query parameter in [min, max]; anything else is refused, not silently replaced. */
    public static int intParam(ApiRequest req, String name, int def, int min, int max) {
        String s = req.queryParam(name).orElse(null);
        if (s == null) {
            return def;
        }
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.invalidRequest(name + " must be an integer" + (max == Integer.MAX_VALUE ? " of at least " + min
                : " between " + min + " and " + max), name);
    }

    /** An offset-paginated response with first/prev/next/last links rebuilt on the request's origin. */
    public static ApiResponse offsetPage(ApiRequest req, List<?> items, long total, Page page) {
        boolean hasMore = page.offset() + items.size() < total;
        ApiResponse r = ApiResponse.ok(of(items, hasMore, total));
        List<String> links = new ArrayList<>();
        links.add(link(req, page.limit(), 0, "first"));
        if (page.offset() > 0) {
            links.add(link(req, page.limit(), Math.max(0, page.offset() - page.limit()), "prev"));
        }
        if (hasMore) {
            links.add(link(req, page.limit(), page.offset() + page.limit(), "next"));
        }
        long lastOffset = total == 0 ? 0 : ((total - 1) / page.limit()) * page.limit();
        links.add(link(req, page.limit(), lastOffset, "last"));
        r.header("Link", String.join(", ", links));
        return r;
    }

    private static String link(ApiRequest req, int limit, long offset, String rel) {
        Map<String, String> q = new TreeMap<>(req.query());
        q.put("limit", String.valueOf(limit));
        q.put("offset", String.valueOf(offset));
        return "<" + url(req, q) + ">; rel=\"" + rel + "\"";
    }

    public static String url(ApiRequest req, Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        String host = req.header("Host");
        sb.append("http://").append(host == null ? "localhost" : host).append(req.path());
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            sb.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return sb.toString();
    }
}
