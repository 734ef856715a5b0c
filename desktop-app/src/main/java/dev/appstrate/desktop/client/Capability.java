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
    INLINE_RUNS,
    /** {@code POST /api/integrations}: registering a local integration from its manifest. */
    LOCAL_INTEGRATIONS,
    /** {@code POST /api/model-provider-credentials/probe}: a provider's models before anything is saved. */
    MODEL_PROBE,
    /** {@code POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver}. */
    WEBHOOK_REDELIVERY;

    /** The name our server lists in {@code GET /api/capabilities} ({@code cron_preview}, …). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
