package dev.appstrate.server.config;

/** {@code INLINE_RUN_LIMITS}: extra caps for inline runs (defaults as in the original). */
public record InlineRunLimits(int ratePerMin, int manifestBytes, int promptBytes, int maxSkills, int retentionDays) {

    public static InlineRunLimits defaults() {
        return new InlineRunLimits(60, 65536, 200000, 20, 30);
    }
}
