package dev.appstrate.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JDBC helpers so repositories stay about SQL, not about statement plumbing. */
public final class Rows {
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

    public static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Boolean b) {
                ps.setInt(i + 1, b ? 1 : 0);
            } else {
                ps.setObject(i + 1, a);
            }
        }
        return ps;
    }

    /**
     * Locks one row until the transaction ends, so a check-then-write on what hangs off it is safe with concurrent
     * writers (PostgreSQL, several instances); SQLite runs one writer at a time, so there it is nothing.
     */
    public static void lock(Connection c, String table, String id) throws SQLException {
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

    /** Binds an instant as epoch milliseconds, or SQL NULL. */
    public static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, t.toEpochMilli());
        }
    }

    /** Binds a nullable integer. */
    public static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
