package dev.appstrate.server.secrets;

import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every column that holds sealed secrets, in whichever feature's table: by convention a column whose name ends in
 * {@code _encrypted}. New tables join rotation and status just by following the convention.
 */
final class EncryptedColumnRepository {
    /** One table column of envelopes. */
    record Column(String table, String column) {
        String qualified() {
            return table + "." + column;
        }
    }

    /** Decides one stored envelope's new value; null leaves it as it is. */
    @FunctionalInterface
    interface Reseal {
        String apply(Column column, long rowid, String envelope);
    }

    /** Sealed columns named before the convention, kept for compatibility with existing rows. */
    private static final List<Column> NAMED = List.of(new Column("webhooks", "secret"), new Column("webhooks", "secret_next"));

    private final Database db;

    EncryptedColumnRepository(Database db) {
        this.db = db;
    }

    /**
     * Passes every stored envelope through {@code reseal} in one transaction (an exception changes nothing); answers per
     * column how many values were rewritten ([0]) and left as they were ([1]).
     */
    Map<Column, int[]> rewriteAll(Reseal reseal) {
        return db.write(c -> {
            Map<Column, int[]> out = new LinkedHashMap<>();
            for (Column col : columns(c)) {
                String t = quote(col.table());
                String k = quote(col.column());
                int[] counts = new int[2];
                List<Object[]> rows = Rows.list(c, "SELECT rowid, " + k + " FROM " + t + " WHERE " + k + " IS NOT NULL AND "
                        + k + " <> ''", rs -> new Object[] {rs.getLong(1), rs.getString(2)});
                try (Rows.Batch update = Rows.batch(c, "UPDATE " + t + " SET " + k + " = ? WHERE rowid = ?")) {
                    for (Object[] row : rows) {
                        String next = reseal.apply(col, (Long) row[0], (String) row[1]);
                        if (next == null) {
                            counts[1]++;
                        } else {
                            update.update(next, row[0]);
                            counts[0]++;
                        }
                    }
                }
                out.put(col, counts);
            }
            return out;
        });
    }

    /** Per column, how many values each key id seals; values that are not envelopes count under {@code notAnEnvelope}. */
    Map<Column, Map<String, Integer>> countByKid(String notAnEnvelope) {
        return db.read(c -> {
            Map<Column, Map<String, Integer>> out = new LinkedHashMap<>();
            for (Column col : columns(c)) {
                String k = quote(col.column());
                // the key id is parsed here, not in SQL: string functions differ between SQLite and PostgreSQL
                Map<String, Integer> byKid = new TreeMap<>();
                Rows.list(c, "SELECT " + k + " FROM " + quote(col.table()) + " WHERE " + k + " IS NOT NULL AND " + k + " <> ''",
                        rs -> byKid.merge(kidOf(rs.getString(1), notAnEnvelope), 1, Integer::sum));
                out.put(col, byKid);
            }
            return out;
        });
    }

    private static List<Column> columns(Connection c) throws SQLException {
        List<Column> out = new ArrayList<>();
        for (String t : Rows.tables(c)) {
            for (String col : Rows.columns(c, t)) {
                if (col.endsWith("_encrypted") || NAMED.contains(new Column(t, col))) {
                    out.add(new Column(t, col));
                }
            }
        }
        return out;
    }

    /** The key id of a v1:<kid>:… envelope. */
    private static String kidOf(String sealed, String notAnEnvelope) {
        int end = sealed.startsWith("v1:") ? sealed.indexOf(':', 3) : -1;
        return end < 0 ? notAnEnvelope : sealed.substring(3, end);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
