package dev.appstrate.server.secrets;

import dev.appstrate.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Re-encrypts every stored secret with the active key, in one transaction: either every value moves
 * to the active kid or nothing changes. Running it again rotates nothing (idempotent).
 */
public final class KeyRotation {
    /** What happened in one column. */
    public record ColumnResult(String table, String column, int rotated, int alreadyCurrent) {
    }

    /** The whole rotation. */
    public record Report(String activeKid, List<ColumnResult> columns) {
        public int rotated() {
            return columns.stream().mapToInt(ColumnResult::rotated).sum();
        }

        public int alreadyCurrent() {
            return columns.stream().mapToInt(ColumnResult::alreadyCurrent).sum();
        }
    }

    /** Which kid encrypts how many values, per column. */
    public record Status(String activeKid, List<String> keyRingKids, Map<String, Integer> valuesByKid,
                         List<ColumnStatus> columns) {
        public int total() {
            return valuesByKid.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Values not yet under the active kid: what the next rotation would rewrite. */
        public int needsRotation() {
            return valuesByKid.entrySet().stream().filter(e -> !e.getKey().equals(activeKid))
                    .mapToInt(Map.Entry::getValue).sum();
        }

        /** Values whose kid is not in the key ring: they cannot be opened until the key is put back. */
        public int unreadable() {
            return valuesByKid.entrySet().stream().filter(e -> !keyRingKids.contains(e.getKey()))
                    .mapToInt(Map.Entry::getValue).sum();
        }
    }

    /** One column's counts by kid. */
    public record ColumnStatus(String table, String column, Map<String, Integer> valuesByKid) {
    }

    static final String NOT_AN_ENVELOPE = "(not an envelope)";

    private final SecretBox box;

    public KeyRotation(SecretBox box) {
        this.box = box;
    }

    public Report rotate(Database db) {
        return db.write(c -> {
            List<ColumnResult> results = new ArrayList<>();
            for (EncryptedColumns.Column col : EncryptedColumns.find(c)) {
                results.add(rotateColumn(c, col));
            }
            return new Report(box.keyRing().activeKid(), results);
        });
    }

    private ColumnResult rotateColumn(Connection c, EncryptedColumns.Column col) throws SQLException {
        String t = EncryptedColumns.quote(col.table());
        String k = EncryptedColumns.quote(col.column());
        int rotated = 0;
        int current = 0;
        try (PreparedStatement sel = c.prepareStatement("SELECT rowid, " + k + " FROM " + t
                + " WHERE " + k + " IS NOT NULL AND " + k + " <> ''");
             PreparedStatement upd = c.prepareStatement("UPDATE " + t + " SET " + k + " = ? WHERE rowid = ?");
             ResultSet rs = sel.executeQuery()) {
            while (rs.next()) {
                long rowid = rs.getLong(1);
                String envelope = rs.getString(2);
                if (box.isCurrent(envelope)) {
                    current++;
                    continue;
                }
                String plain;
                try {
                    plain = box.decrypt(envelope);
                } catch (SecretException e) {
                    // the message names the kid and cause, never the value
                    throw new SecretException(col.qualified() + " (rowid " + rowid + "): " + e.getMessage()
                            + " Nothing was changed.", e);
                }
                upd.setString(1, box.encrypt(plain));
                upd.setLong(2, rowid);
                upd.executeUpdate();
                rotated++;
            }
        }
        return new ColumnResult(col.table(), col.column(), rotated, current);
    }

    /** The key id of a v1:<kid>:… envelope, or the not-an-envelope marker. */
    private static String kidOf(String sealed) {
        int end = sealed.startsWith("v1:") ? sealed.indexOf(':', 3) : -1;
        return end < 0 ? NOT_AN_ENVELOPE : sealed.substring(3, end);
    }

    public Status status(Database db) {
        return db.read(c -> {
            Map<String, Integer> total = new TreeMap<>();
            List<ColumnStatus> columns = new ArrayList<>();
            for (EncryptedColumns.Column col : EncryptedColumns.find(c)) {
                String k = EncryptedColumns.quote(col.column());
                Map<String, Integer> byKid = new LinkedHashMap<>();
                // the key id is parsed here, not in SQL: string functions differ between SQLite and PostgreSQL
                String sql = "SELECT " + k + " FROM " + EncryptedColumns.quote(col.table()) + " WHERE " + k + " IS NOT NULL AND "
                        + k + " <> ''";
                Map<String, Integer> counted = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String kid = kidOf(rs.getString(1));
                        counted.merge(kid, 1, Integer::sum);
                        total.merge(kid, 1, Integer::sum);
                    }
                }
                byKid.putAll(counted);
                columns.add(new ColumnStatus(col.table(), col.column(), byKid));
            }
            return new Status(box.keyRing().activeKid(), List.copyOf(box.keyRing().kids()), total, columns);
        });
    }
}
