package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code webhooks}, {@code webhook_deliveries} and {@code webhook_delivery_attempts} tables. */
public final class WebhookRepository {
    private static final String HOOK_COLUMNS = "id, level, org_id, application_id, url, events, package_id, payload_mode, "
            + "enabled, secret, secret_next, secret_next_expires_at, created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "id, webhook_id, event_id, event_type, payload, status, attempts, "
            + "max_attempts, next_attempt_at, status_code, latency, error, created_at, updated_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final Database db;
    private final SecretBox box;

    /** Signing secrets are stored sealed by {@code box} (covered by rotate-key), opened on read. */
    public WebhookRepository(Database db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /** Seals signing secrets an older version stored in plain text; returns how many rows it sealed. */
    public int sealPlaintextSecrets() {
        return db.write(c -> {
            List<String[]> plain = Rows.list(c, "SELECT id, secret, secret_next FROM webhooks WHERE secret NOT LIKE 'v1:%' "
                    + "OR (secret_next IS NOT NULL AND secret_next NOT LIKE 'v1:%')",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            for (String[] row : plain) {
                Rows.update(c, "UPDATE webhooks SET secret=?, secret_next=? WHERE id=?", seal(row[1]), seal(row[2]), row[0]);
            }
            return plain.size();
        });
    }

    private String seal(String value) {
        return value == null || value.startsWith("v1:") ? value : box.encrypt(value);
    }

    private String open(String value) {
        return value == null || !value.startsWith("v1:") ? value : box.decrypt(value);
    }

    // ---- webhooks

    private int insert(Connection c, Webhook w) throws SQLException {
        return Rows.update(c, "INSERT INTO webhooks (" + HOOK_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                w.id(), w.level(), w.orgId(), w.applicationId(), w.url(), Json.string(w.events()), w.packageId(),
                w.payloadMode(), w.enabled(), box.encrypt(w.secret()), sealedNext(w), Rows.epochMillis(w.secretNextExpiresAt()),
                Times.iso(w.createdAt()), Times.iso(w.updatedAt()));
    }

    void update(Webhook w) {
        db.write(c -> Rows.update(c, "UPDATE webhooks SET url=?, events=?, package_id=?, payload_mode=?, enabled=?, secret=?, "
                + "secret_next=?, secret_next_expires_at=?, updated_at=? WHERE id=?", w.url(), Json.string(w.events()),
                w.packageId(), w.payloadMode(), w.enabled(), box.encrypt(w.secret()), sealedNext(w),
                Rows.epochMillis(w.secretNextExpiresAt()), Times.iso(w.updatedAt()), w.id()));
    }

    private String sealedNext(Webhook w) {
        return w.secretNext() == null ? null : box.encrypt(w.secretNext());
    }

    /** Makes the rotated secret the only one, once its window has passed; no-op if already done. */
    void promoteNextSecret(String webhookId, String secretNext) {
        db.write(c -> {
            // envelopes are randomized: compare what they seal, not the stored text
            Optional<String> stored = Rows.one(c, "SELECT secret_next FROM webhooks WHERE id=?", rs -> rs.getString(1), webhookId);
            if (stored.isPresent() && stored.get() != null && secretNext.equals(open(stored.get()))) {
                Rows.update(c, "UPDATE webhooks SET secret=secret_next, secret_next=NULL, secret_next_expires_at=NULL WHERE id=?",
                        webhookId);
            }
            return null;
        });
    }

    boolean delete(String id) {
        return db.write(c -> Rows.update(c, "DELETE FROM webhooks WHERE id=?", id)) > 0;
    }

    Optional<Webhook> find(String id) {
        return db.read(c -> Rows.one(c, "SELECT " + HOOK_COLUMNS + " FROM webhooks WHERE id=?", this::hook, id));
    }

    /** Org-level webhooks plus those of {@code applicationId} (all applications when null), newest first. */
    List<Webhook> list(String orgId, String applicationId, boolean includeOrgLevel) {
        return db.read(c -> {
            if (applicationId == null) {
                return Rows.list(c, "SELECT " + HOOK_COLUMNS + " FROM webhooks WHERE org_id=? ORDER BY created_at DESC, id",
                        this::hook, orgId);
            }
            String sql = "SELECT " + HOOK_COLUMNS + " FROM webhooks WHERE org_id=? AND (application_id=?"
                    + (includeOrgLevel ? " OR level='org'" : "") + ") ORDER BY created_at DESC, id";
            return Rows.list(c, sql, this::hook, orgId, applicationId);
        });
    }

    /**
     * Inserts {@code w} unless its scope (the org level, or its application) already has {@code max} webhooks; the count
     * and the insert run under the scope's row lock, so two concurrent creates cannot both pass the cap (PostgreSQL).
     */
    boolean insertUnderCap(Webhook w, int max) {
        return db.write(c -> {
            if (w.applicationId() == null) {
                Rows.lock(c, "organizations", w.orgId());
            } else {
                Rows.lock(c, "applications", w.applicationId());
            }
            long n = w.applicationId() == null
                    ? Rows.count(c, "SELECT COUNT(*) FROM webhooks WHERE org_id=? AND level='org'", w.orgId())
                    : Rows.count(c, "SELECT COUNT(*) FROM webhooks WHERE org_id=? AND application_id=?", w.orgId(), w.applicationId());
            if (n >= max) {
                return false;
            }
            insert(c, w);
            return true;
        });
    }

    /** Enabled webhooks that want this event for a run of {@code packageId} in this application. */
    List<Webhook> subscribers(String orgId, String applicationId, String packageId, String eventType) {
        List<Webhook> candidates = db.read(c -> Rows.list(c, "SELECT " + HOOK_COLUMNS + " FROM webhooks WHERE enabled=1 "
                + "AND org_id=? AND (level='org' OR application_id=?) AND (package_id IS NULL OR package_id=?)",
                this::hook, orgId, applicationId, packageId));
        return candidates.stream().filter(w -> w.events().contains(eventType)).toList();
    }

    // ---- deliveries

    /** Queues deliveries of one event together: all or none. */
    void insertDeliveries(List<Delivery> deliveries) {
        db.write(c -> {
            try (Rows.Batch insert = Rows.batch(c, "INSERT INTO webhook_deliveries (" + DELIVERY_COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (Delivery d : deliveries) {
                    insert.update(d.id(), d.webhookId(), d.eventId(), d.eventType(), d.payload(), d.status(), d.attempts(),
                            d.maxAttempts(), Rows.epochMillis(d.nextAttemptAt()), d.statusCode(), d.latencyMs(), d.error(),
                            Times.iso(d.createdAt()), Times.iso(d.updatedAt()));
                }
            }
            return null;
        });
    }

    Optional<Delivery> delivery(String id) {
        return db.read(c -> Rows.one(c, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE id=?",
                WebhookRepository::delivery, id));
    }

    List<Delivery> deliveries(String webhookId, int limit) {
        return db.read(c -> Rows.list(c, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE webhook_id=? "
                + "ORDER BY created_at DESC, id DESC LIMIT " + limit, WebhookRepository::delivery, webhookId));
    }

    List<DeliveryAttempt> attempts(String deliveryId) {
        return db.read(c -> Rows.list(c, "SELECT delivery_id, attempt, outcome, status_code, latency, "
                + "error, attempted_at FROM webhook_delivery_attempts WHERE delivery_id=? ORDER BY attempt",
                rs -> new DeliveryAttempt(rs.getString(1), rs.getInt(2), rs.getString(3), Rows.integer(rs, 4),
                        Rows.integer(rs, 5), rs.getString(6), Instant.parse(rs.getString(7))), deliveryId));
    }

    /**
     * Leases up to {@code max} due deliveries until {@code leaseUntil} so no other worker sends them meanwhile;
     * a crash mid-attempt lets the lease lapse and the attempt is made again.
     */
    List<Delivery> leaseDue(Instant now, Instant leaseUntil, int max) {
        return db.write(c -> {
            List<Delivery> due = Rows.list(c, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE status='pending' "
                    + "AND next_attempt_at <= " + now.toEpochMilli() + " ORDER BY next_attempt_at LIMIT " + max,
                    WebhookRepository::delivery);
            // a delivery another instance leased between the SELECT and here is left to it: one sender at a time
            List<Delivery> mine = new ArrayList<>();
            for (Delivery d : due) {
                if (Rows.update(c, "UPDATE webhook_deliveries SET next_attempt_at=? WHERE id=? AND status='pending' "
                        + "AND next_attempt_at=?", leaseUntil.toEpochMilli(), d.id(), d.nextAttemptAt().toEpochMilli()) == 1) {
                    mine.add(d);
                }
            }
            return mine;
        });
    }

    /** Leases one pending delivery for an attempt made right now; false when it is not pending. */
    boolean leaseOne(String deliveryId, Instant leaseUntil) {
        return db.write(c -> lease(c, deliveryId, leaseUntil));
    }

    private static boolean lease(Connection c, String id, Instant until) throws SQLException {
        return Rows.update(c, "UPDATE webhook_deliveries SET next_attempt_at=? WHERE id=? AND status='pending'",
                until.toEpochMilli(), id) == 1;
    }

    Optional<Instant> earliestPending() {
        return db.read(c -> Rows.one(c, "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status='pending'",
                rs -> Rows.millis(rs, 1)));
    }

    /** Records one attempt and the delivery's new state together. */
    void recordAttempt(DeliveryAttempt a, String status, Instant nextAttemptAt) {
        db.write(c -> {
            Rows.update(c, "INSERT INTO webhook_delivery_attempts (delivery_id, attempt, outcome, status_code, latency, error, "
                    + "attempted_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (delivery_id, attempt) DO NOTHING", a.deliveryId(),
                    a.attempt(), a.outcome(), a.statusCode(), a.latencyMs(), a.error(), Times.iso(a.attemptedAt()));
            return Rows.update(c, "UPDATE webhook_deliveries SET status=?, attempts=?, next_attempt_at=?, status_code=?, "
                    + "latency=?, error=?, updated_at=? WHERE id=?", status, a.attempt(), Rows.epochMillis(nextAttemptAt),
                    a.statusCode(), a.latencyMs(), a.error(), Times.iso(a.attemptedAt()), a.deliveryId());
        });
    }

    /** Ends a pending delivery without an HTTP attempt (its webhook was disabled). */
    void abandon(String deliveryId, String error, Instant now) {
        db.write(c -> Rows.update(c, "UPDATE webhook_deliveries SET status='failed', next_attempt_at=NULL, error=?, "
                + "updated_at=? WHERE id=? AND status='pending'", error, Times.iso(now), deliveryId));
    }

    // ---- mapping

    private Webhook hook(ResultSet rs) throws SQLException {
        return new Webhook(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                strings(rs.getString(6)), rs.getString(7), rs.getString(8), rs.getInt(9) == 1, open(rs.getString(10)),
                open(rs.getString(11)), Rows.millis(rs, 12), Instant.parse(rs.getString(13)), Instant.parse(rs.getString(14)));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getInt(7), rs.getInt(8), Rows.millis(rs, 9), Rows.integer(rs, 10), Rows.integer(rs, 11),
                rs.getString(12), Instant.parse(rs.getString(13)), Instant.parse(rs.getString(14)));
    }

    private static List<String> strings(String json) {
        try {
            return Json.MAPPER.readValue(json, STRINGS);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt events column", e);
        }
    }
}
