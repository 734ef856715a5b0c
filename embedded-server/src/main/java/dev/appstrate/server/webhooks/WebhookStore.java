package dev.appstrate.server.webhooks;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code webhooks}, {@code webhook_deliveries} and {@code webhook_delivery_attempts} tables. */
public final class WebhookStore {
    private static final String HOOK_COLUMNS = "id, level, org_id, application_id, url, events, package_id, payload_mode, "
            + "enabled, secret, secret_next, secret_next_expires_at, created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "id, webhook_id, event_id, event_type, payload, status, attempts, "
            + "max_attempts, next_attempt_at, status_code, latency, error, created_at, updated_at";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final Database db;
    private final SecretBox box;

    /** Signing secrets are stored sealed by {@code box} (covered by rotate-key), opened on read. */
    public WebhookStore(Database db, SecretBox box) {
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

    void insert(Webhook w) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhooks (" + HOOK_COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                int i = 1;
                ps.setString(i++, w.id());
                ps.setString(i++, w.level());
                ps.setString(i++, w.orgId());
                ps.setString(i++, w.applicationId());
                i = bindMutable(ps, i, w);
                ps.setString(i++, Times.iso(w.createdAt()));
                ps.setString(i, Times.iso(w.updatedAt()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    void update(Webhook w) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhooks SET url=?, events=?, package_id=?, payload_mode=?, "
                    + "enabled=?, secret=?, secret_next=?, secret_next_expires_at=?, updated_at=? WHERE id=?")) {
                int i = bindMutable(ps, 1, w);
                ps.setString(i++, Times.iso(w.updatedAt()));
                ps.setString(i, w.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Binds url … secret_next_expires_at from parameter {@code i}; returns the next parameter index. */
    private int bindMutable(PreparedStatement ps, int i, Webhook w) throws SQLException {
        ps.setString(i++, w.url());
        ps.setString(i++, Json.string(w.events()));
        ps.setString(i++, w.packageId());
        ps.setString(i++, w.payloadMode());
        ps.setInt(i++, w.enabled() ? 1 : 0);
        ps.setString(i++, box.encrypt(w.secret()));
        ps.setString(i++, w.secretNext() == null ? null : box.encrypt(w.secretNext()));
        Rows.setMillis(ps, i++, w.secretNextExpiresAt());
        return i;
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
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM webhooks WHERE id=?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
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

    /** How many webhooks exist in a scope: the org level, or one application. */
    int countInScope(String orgId, String applicationId) {
        return db.read(c -> {
            String sql = applicationId == null ? "SELECT COUNT(*) FROM webhooks WHERE org_id=? AND level='org'"
                    : "SELECT COUNT(*) FROM webhooks WHERE org_id=? AND application_id=?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, orgId);
                if (applicationId != null) {
                    ps.setString(2, applicationId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    /** Enabled webhooks that want this event for a run of {@code packageId} in this application. */
    List<Webhook> subscribers(String orgId, String applicationId, String packageId, String eventType) {
        List<Webhook> candidates = db.read(c -> Rows.list(c, "SELECT " + HOOK_COLUMNS + " FROM webhooks WHERE enabled=1 "
                + "AND org_id=? AND (level='org' OR application_id=?) AND (package_id IS NULL OR package_id=?)",
                this::hook, orgId, applicationId, packageId));
        return candidates.stream().filter(w -> w.events().contains(eventType)).toList();
    }

    boolean applicationInOrg(String orgId, String applicationId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM applications WHERE id=? AND org_id=?")) {
                ps.setString(1, applicationId);
                ps.setString(2, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    // ---- deliveries

    void insertDelivery(Delivery d) {
        db.write(c -> {
            insertDelivery(c, d);
            return null;
        });
    }

    static void insertDelivery(Connection c, Delivery d) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_deliveries (" + DELIVERY_COLUMNS
                + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            int i = 1;
            ps.setString(i++, d.id());
            ps.setString(i++, d.webhookId());
            ps.setString(i++, d.eventId());
            ps.setString(i++, d.eventType());
            ps.setString(i++, d.payload());
            ps.setString(i++, d.status());
            ps.setInt(i++, d.attempts());
            ps.setInt(i++, d.maxAttempts());
            Rows.setMillis(ps, i++, d.nextAttemptAt());
            Rows.setInt(ps, i++, d.statusCode());
            Rows.setInt(ps, i++, d.latencyMs());
            ps.setString(i++, d.error());
            ps.setString(i++, Times.iso(d.createdAt()));
            ps.setString(i, Times.iso(d.updatedAt()));
            ps.executeUpdate();
        }
    }

    Optional<Delivery> delivery(String id) {
        return db.read(c -> Rows.one(c, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE id=?",
                WebhookStore::delivery, id));
    }

    List<Delivery> deliveries(String webhookId, int limit) {
        return db.read(c -> Rows.list(c, "SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE webhook_id=? "
                + "ORDER BY created_at DESC, id DESC LIMIT " + limit, WebhookStore::delivery, webhookId));
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
                    WebhookStore::delivery);
            // another instance may have leased a row since the SELECT: keep only the rows this UPDATE still found due
            List<Delivery> leased = new ArrayList<>();
            for (Delivery d : due) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET next_attempt_at=? WHERE id=? "
                        + "AND status='pending' AND next_attempt_at <= ?")) {
                    ps.setLong(1, leaseUntil.toEpochMilli());
                    ps.setString(2, d.id());
                    ps.setLong(3, now.toEpochMilli());
                    if (ps.executeUpdate() == 1) {
                        leased.add(d);
                    }
                }
            }
            return leased;
        });
    }

    /** Leases one pending delivery for an attempt made right now; false when it is not pending. */
    boolean leaseOne(String deliveryId, Instant leaseUntil) {
        return db.write(c -> lease(c, deliveryId, leaseUntil));
    }

    private static boolean lease(Connection c, String id, Instant until) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE webhook_deliveries SET next_attempt_at=? WHERE id=? AND status='pending'")) {
            ps.setLong(1, until.toEpochMilli());
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    Optional<Instant> earliestPending() {
        return db.read(c -> Rows.one(c, "SELECT MIN(next_attempt_at) FROM webhook_deliveries WHERE status='pending'",
                rs -> Rows.millis(rs, 1)));
    }

    /** Records one attempt and the delivery's new state together. */
    void recordAttempt(DeliveryAttempt a, String status, Instant nextAttemptAt) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_delivery_attempts (delivery_id, attempt, "
                    + "outcome, status_code, latency, error, attempted_at) VALUES (?,?,?,?,?,?,?) "
                    + "ON CONFLICT (delivery_id, attempt) DO NOTHING")) {
                ps.setString(1, a.deliveryId());
                ps.setInt(2, a.attempt());
                ps.setString(3, a.outcome());
                Rows.setInt(ps, 4, a.statusCode());
                Rows.setInt(ps, 5, a.latencyMs());
                ps.setString(6, a.error());
                ps.setString(7, Times.iso(a.attemptedAt()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status=?, attempts=?, "
                    + "next_attempt_at=?, status_code=?, latency=?, error=?, updated_at=? WHERE id=?")) {
                ps.setString(1, status);
                ps.setInt(2, a.attempt());
                Rows.setMillis(ps, 3, nextAttemptAt);
                Rows.setInt(ps, 4, a.statusCode());
                Rows.setInt(ps, 5, a.latencyMs());
                ps.setString(6, a.error());
                ps.setString(7, Times.iso(a.attemptedAt()));
                ps.setString(8, a.deliveryId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Ends a pending delivery without an HTTP attempt (its webhook was disabled). */
    void abandon(String deliveryId, String error, Instant now) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_deliveries SET status='failed', next_attempt_at=NULL, "
                    + "error=?, updated_at=? WHERE id=? AND status='pending'")) {
                ps.setString(1, error);
                ps.setString(2, Times.iso(now));
                ps.setString(3, deliveryId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    Database database() {
        return db;
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
