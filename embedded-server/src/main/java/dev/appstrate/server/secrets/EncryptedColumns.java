package dev.appstrate.server.secrets;

import dev.appstrate.server.store.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds every column that holds sealed secrets: by convention a column whose name ends in
 * {@code _encrypted}. New tables join rotation and status just by following the convention.
 */
public final class EncryptedColumns {
    /** One table column of envelopes. */
    public record Column(String table, String column) {
        public String qualified() {
            return table + "." + column;
        }
    }

    private EncryptedColumns() {
    }

    /** Sealed columns named before the convention, kept for compatibility with existing rows. */
    private static final List<Column> NAMED = List.of(new Column("webhooks", "secret"), new Column("webhooks", "secret_next"));

    public static List<Column> find(Connection c) throws SQLException {
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

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
