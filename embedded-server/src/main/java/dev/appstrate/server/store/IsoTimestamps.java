package dev.appstrate.server.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;

/**
 * Makes PostgreSQL's {@code timestamptz} read as SQLite's stored text does: {@code getString} gives ISO-8601 UTC with
 * milliseconds ({@link Times#iso}), so repositories read timestamps the same way on both engines.
 */
final class IsoTimestamps {
    private IsoTimestamps() {
    }

    static Connection wrap(Connection c) {
        return proxy(Connection.class, c, (m, args, result) -> switch (m.getName()) {
            case "prepareStatement" -> proxy(PreparedStatement.class, (PreparedStatement) result, IsoTimestamps::statement);
            case "createStatement" -> proxy(Statement.class, (Statement) result, IsoTimestamps::statement);
            default -> result;
        });
    }

    private static Object statement(Method m, Object[] args, Object result) {
        return result instanceof ResultSet rs ? resultSet(rs) : result;
    }

    private static ResultSet resultSet(ResultSet rs) {
        boolean[][] timestampColumns = new boolean[1][];
        InvocationHandler h = (p, m, args) -> {
            if (args != null && args.length == 1 && m.getName().equals("getString")) {
                int col = args[0] instanceof Integer i ? i : rs.findColumn((String) args[0]);
                if (timestampColumns[0] == null) {
                    timestampColumns[0] = timestampColumns(rs.getMetaData());
                }
                if (col < timestampColumns[0].length && timestampColumns[0][col]) {
                    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
                    return t == null ? null : Times.iso(t.toInstant());
                }
            }
            return invoke(m, rs, args);
        };
        return (ResultSet) Proxy.newProxyInstance(IsoTimestamps.class.getClassLoader(), new Class<?>[] {ResultSet.class}, h);
    }

    private static boolean[] timestampColumns(ResultSetMetaData md) throws SQLException {
        boolean[] out = new boolean[md.getColumnCount() + 1];
        for (int i = 1; i < out.length; i++) {
            out[i] = "timestamptz".equals(md.getColumnTypeName(i));
        }
        return out;
    }

    @FunctionalInterface
    private interface After {
        Object apply(Method m, Object[] args, Object result) throws SQLException;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, After after) {
        InvocationHandler h = (p, m, args) -> after.apply(m, args, invoke(m, target, args));
        return (T) Proxy.newProxyInstance(IsoTimestamps.class.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
