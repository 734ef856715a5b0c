package dev.appstrate.server.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code DATABASE_URL} as the original takes it: {@code postgres://user:password@host:port/database?sslmode=…} (or
 * {@code postgresql://}), credentials percent-decoded, query parameters passed to the driver. Never prints the password.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password, String query) {
    public static final int DEFAULT_PORT = 5432;

    /** Parses the URL; throws IllegalArgumentException with a message that never contains the password. */
    public static DatabaseUrl parse(String url) {
        String rest;
        if (url.startsWith("postgres://")) {
            rest = url.substring("postgres://".length());
        } else if (url.startsWith("postgresql://")) {
            rest = url.substring("postgresql://".length());
        } else {
            throw new IllegalArgumentException("must be a postgres:// or postgresql:// URL such as "
                    + "postgres://user:password@localhost:5432/appstrate, or unset for the embedded SQLite database");
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
        String host;
        int port = DEFAULT_PORT;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("has an unclosed [ in its host");
            }
            host = hostPort.substring(0, close + 1);
            port = port(hostPort.substring(close + 1));
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? DEFAULT_PORT : port(hostPort.substring(colon));
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("has no user name (postgres://user:password@" + host + ":" + port + "/"
                    + (database.isEmpty() ? "appstrate" : database) + ")");
        }
        if (database.isEmpty()) {
            database = user; // libpq's default, as psql "$DATABASE_URL" would connect
        }
        return new DatabaseUrl(host, port, database, user, password, query);
    }

    private static int port(String colonPort) {
        if (colonPort.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int p = Integer.parseInt(colonPort.substring(1));
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("has an invalid port \"" + colonPort.substring(Math.min(1, colonPort.length())) + "\"");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The pgjdbc URL: query parameters passed through; strings bind untyped so JSON text fills jsonb and ISO text timestamptz. */
    public String jdbcUrl() {
        List<String> params = new ArrayList<>();
        boolean stringType = false;
        for (String p : query.split("&")) {
            if (p.isEmpty() || p.startsWith("password=") || p.startsWith("user=")) {
                continue;
            }
            stringType |= p.startsWith("stringtype=");
            params.add(p);
        }
        if (!stringType) {
            params.add("stringtype=unspecified");
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + encodePath(database) + "?" + String.join("&", params);
    }

    /** A password given as {@code ?password=} instead of in the user info. */
    public String effectivePassword() {
        if (password != null) {
            return password;
        }
        for (String p : query.split("&")) {
            if (p.startsWith("password=")) {
                return decode(p.substring("password=".length()));
            }
        }
        return null;
    }

    private static String encodePath(String db) {
        return java.net.URLEncoder.encode(db, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** host:port/database, for the boot log. */
    public String display() {
        return host + ":" + port + "/" + database;
    }

    /** The URL with the password masked, for messages: what was tried, safe to print. */
    public String masked() {
        StringBuilder sb = new StringBuilder("postgres://").append(user);
        if (effectivePassword() != null) {
            sb.append(":***");
        }
        sb.append('@').append(display());
        String shownQuery = String.join("&", java.util.Arrays.stream(query.split("&"))
                .filter(p -> !p.isEmpty()).map(DatabaseUrl::maskSecret).toList());
        if (!shownQuery.isEmpty()) {
            sb.append('?').append(shownQuery);
        }
        return sb.toString();
    }

    /** password=, sslpassword= and the like keep their name, never their value. */
    private static String maskSecret(String param) {
        int eq = param.indexOf('=');
        return eq > 0 && param.substring(0, eq).toLowerCase(java.util.Locale.ROOT).endsWith("password")
                ? param.substring(0, eq) + "=***" : param;
    }

    @Override
    public String toString() {
        return masked();
    }
}
