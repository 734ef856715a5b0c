package dev.appstrate.runner.model;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code MODEL_COST}: USD per one million tokens for each usage bucket. */
public record ModelCost(double input, double output, double cacheRead, double cacheWrite) {

    /** Parses {@code {"input":…,"output":…,"cacheRead":…,"cacheWrite":…}}; absent buckets are 0. */
    public static ModelCost fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        return new ModelCost(rate(n, "input"), rate(n, "output"), rate(n, "cacheRead"), rate(n, "cacheWrite"));
    }

    private static double rate(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isNumber() || v.asDouble() < 0 || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException(key + " must be a non-negative number");
        }
        return v.asDouble();
    }

    public double cost(TokenUsage u) {
        return (u.input() * input + u.output() * output + u.cacheRead() * cacheRead + u.cacheWrite() * cacheWrite)
                / 1_000_000d;
    }
}
