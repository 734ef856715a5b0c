package dev.appstrate.desktop.client;

/**
 * Something a screen needs that not every Appstrate server has: our server's extensions to the
 * original's API. A screen asks {@link ServerCapabilities#has} and hides or replaces the action.
 */
public enum Capability {
    /** {@code POST /api/schedules/preview}; otherwise the cron preview is computed locally. */
    CRON_PREVIEW,
    /** {@code POST /api/schedules/{id}/run}. */
    SCHEDULE_RUN_NOW,
    /** {@code GET /api/schedules/{id}/fires}; otherwise the original's {@code GET /api/schedules/{id}/runs}. */
    SCHEDULE_FIRES,
    /** {@code GET /api/docker/*}: the Docker cleanup page. */
    DOCKER,
    /** {@code GET /api/secrets/status}. */
    SECRETS_STATUS,
    /** {@code GET /api/connections}. */
    CONNECTIONS_LIST,
    /** Inline runs and run transcripts (agent folders, inspector). */
    INLINE_RUNS
}
