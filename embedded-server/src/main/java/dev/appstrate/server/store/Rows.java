package dev.appstrate.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers so repositories stay about SQL, not about statement plumbing. */
public final class Rows {
    private static final java.util.regex.Pattern PLAIN_IDENTIFIER = java.util.regex.Pattern.compile("[a-z_][a-z0-9_]*");

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Rows() {
    }

    public static <T> List<T> list(Connection c, String sql, Mapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    public static <T> Optional<T> one(Connection c, String sql, Mapper<T> mapper, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
        }
    }

    public static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    /** True when the query returns a row. */
    public static boolean exists(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Runs an {@code INSERT … RETURNING id} and answers the new row's key. */
    public static long key(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no key returned by: " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** One statement prepared once and run for every row of a batch; close it (try-with-resources). */
    public static Batch batch(Connection c, String sql) throws SQLException {
        return new Batch(c.prepareStatement(sql), sql);
    }

    /** A statement reused across the rows of one transaction: parsed once, bound and run per row. */
    public static final class Batch implements AutoCloseable {
        private final PreparedStatement ps;
        private final String sql;

        private Batch(PreparedStatement ps, String sql) {
            this.ps = ps;
            this.sql = sql;
        }

        /** Runs it for one row; answers the number of rows changed. */
        public int update(Object... args) throws SQLException {
            bind(ps, args);
            return ps.executeUpdate();
        }

        /** Runs its {@code INSERT … RETURNING id} for one row; answers the new key. */
        public long key(Object... args) throws SQLException {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no key returned by: " + sql);
                }
                return rs.getLong(1);
            }
        }

        @Override
        public void close() throws SQLException {
            ps.close();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            bind(ps, args);
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
        return ps;
    }

    /** Booleans as 0/1 (portable across SQLite and PostgreSQL integer columns); everything else as given, null as NULL. */
    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Boolean b) {
                ps.setInt(i + 1, b ? 1 : 0);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /** {@code text} as a LIKE pattern that matches it literally, for {@code LIKE ? ESCAPE '\'} (both engines). */
    public static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** An instant as epoch milliseconds for an INTEGER column, or null. */
    public static Long epochMillis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    /**
     * Locks one row until the transaction ends, so a check-then-write on what hangs off it is safe with concurrent
     * writers (PostgreSQL, several instances); SQLite runs one writer at a time, so there it is nothing.
     */
    public static void lock(Connection c, String table, String id) throws SQLException {
        if (!PLAIN_IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("Not a plain table name: " + table); // it is spliced into the SQL text
        }
        if (c.getMetaData().getURL().startsWith("jdbc:postgresql:")) {
            count(c, "SELECT COUNT(*) FROM (SELECT 1 FROM " + table + " WHERE id = ? FOR UPDATE) locked", id);
        }
    }

    /** The application's tables (both engines, from JDBC metadata), sorted by name. */
    public static List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!name.startsWith("sqlite_")) {
                    out.add(name);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** A table's column names in declaration order (both engines). */
    public static List<String> columns(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), table, "%")) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        return out;
    }

    /** A nullable epoch-millisecond column as an instant. */
    public static Instant millis(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** A nullable integer column. */
    public static Integer integer(ResultSet rs, int col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }
}
