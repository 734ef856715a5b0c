package dev.appstrate.server.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code REDIS_URL} as the original takes it: {@code redis://[[user]:password@]host[:port][/db]}, or {@code rediss://}
 * for TLS. Kept as text for the client; {@link #masked()} is the only form that reaches logs and errors.
 */
public record RedisUrl(String url, boolean tls, String host, int port, int database, boolean hasPassword) {

    /** Parses and validates; the message of the exception never contains the password. */
    public static RedisUrl parse(String url) {
        URI u;
        try {
            u = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be redis://[:password@]host:port[/db] or rediss://… (not a URL)");
        }
        String scheme = u.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("must start with redis:// or rediss:// (got " + (scheme == null ? "no scheme" : scheme + "://") + ")");
        }
        if (u.getHost() == null || u.getHost().isBlank()) {
            throw new IllegalArgumentException("names no host: use redis://[:password@]host:port[/db]");
        }
        int port = u.getPort() == -1 ? 6379 : u.getPort();
        int db = 0;
        String path = u.getPath() == null ? "" : u.getPath().replaceFirst("^/", "");
        if (!path.isEmpty()) {
            try {
                db = Integer.parseInt(path);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("database must be a number after the port, e.g. redis://host:6379/0 (got /" + path + ")");
            }
            if (db < 0) {
                throw new IllegalArgumentException("database must be 0 or more (got " + db + ")");
            }
        }
        String info = u.getRawUserInfo();
        boolean password = info != null && (info.contains(":") ? !info.substring(info.indexOf(':') + 1).isEmpty() : !info.isEmpty());
        return new RedisUrl(url.trim(), "rediss".equals(scheme), u.getHost(), port, db, password);
    }

    /** The URL with any password replaced by {@code ***}: safe for logs, errors and the boot report. */
    public String masked() {
        return (tls ? "rediss" : "redis") + "://" + (hasPassword ? ":***@" : "") + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return masked();
    }
}
