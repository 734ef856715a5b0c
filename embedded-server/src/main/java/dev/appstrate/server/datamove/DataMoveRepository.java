package dev.appstrate.server.datamove;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.appstrate.server.storage.BlobStore;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Migrations;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The copy behind {@link MoveDataCommand}: SQLite rows into PostgreSQL in foreign-key order, then both sides checksummed. */
final class DataMoveRepository {
    private static final String BOOKKEEPING = "schema_migrations";
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    record TableResult(String table, long rows, String checksum) {
    }

    record Report(List<TableResult> tables, long totalRows, int files) {
    }

    private DataMoveRepository() {
    }

    /** Refuses a source whose applied migrations are not exactly this jar's. */
    static void checkSourceSchema(Database source) {
        List<Integer> versions = source.read(c -> Rows.list(c, "SELECT version FROM schema_migrations", rs -> rs.getInt(1)));
        Set<Integer> applied = new TreeSet<>(versions);
        Set<Integer> known = Migrations.available(Database.SQLITE).stream().map(Migrations.Migration::version)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!applied.equals(known)) {
            int newest = known.stream().mapToInt(Integer::intValue).max().orElse(0);
            int current = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
            throw new StoreException("the source's schema (version " + current + ") is not this server's (version " + newest
                    + "): " + (current > newest ? "use the server jar that wrote it" : "start this server once on the data folder to migrate it, stop it")
                    + ", then run move-data again", null);
        }
    }

    /**
     * Refuses a target that holds any row in any table of its schema (ours or another application's), before anything is
     * written to it; our tables left empty by an earlier failed move are fine.
     */
    static void checkTargetEmpty(Database target) {
        target.read(pg -> {
            for (String t : Rows.list(pg, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                    + "AND table_type = 'BASE TABLE' ORDER BY table_name", rs -> rs.getString(1))) {
                if (!BOOKKEEPING.equals(t) && Rows.exists(pg, "SELECT 1 FROM " + q(t) + " LIMIT 1")) {
                    throw new TargetNotEmptyException("the target database is not empty (table " + t + " has rows); move-data only "
                            + "fills an empty database: create a new one (CREATE DATABASE …) or point --to at an empty one");
                }
            }
            return null;
        });
    }

    /** Refuses a bucket that already holds any object, before anything is written to it. */
    static void checkBucketEmpty(BlobStore bucket) {
        List<String> keys = bucket.list("");
        if (!keys.isEmpty()) {
            throw new TargetNotEmptyException("the target bucket is not empty (" + bucket.describe() + " holds " + keys.size()
                    + " object(s), e.g. " + keys.get(0) + "); move-data only fills an empty bucket: create a new one or empty it");
        }
    }

    /** A refusal of a target that already holds data: nothing was written. */
    static final class TargetNotEmptyException extends RuntimeException {
        TargetNotEmptyException(String message) {
            super(message);
        }
    }

    /**
     * Copies every table in one target transaction; verifies counts and checksums (and files) before it commits. Each
     * object put in the bucket is added to {@code written}, so that a failure can take them out again.
     */
    static Report copy(Database source, Database target, BlobStore files, BlobStore bucket, List<String> written) {
        return target.write(pg -> source.read(sqlite -> {
            sqlite.setAutoCommit(false); // one read snapshot for the copy and the checksums
            try {
                Map<String, Map<String, String>> targetColumns = targetColumns(pg);
                List<String> order = dependencyOrder(sqlite);
                for (String t : targetColumns.keySet()) {
                    if (Rows.count(pg, "SELECT COUNT(*) FROM " + q(t)) > 0) {
                        throw new TargetNotEmptyException("the target database is not empty (table " + t
                                + " has rows); move-data only fills an empty database");
                    }
                }
                List<TableResult> results = new ArrayList<>();
                long total = 0;
                for (String t : order) {
                    Map<String, String> cols = targetColumns.get(t);
                    if (cols == null) {
                        throw new StoreException("table " + t + " is missing on the target after migrating it", null);
                    }
                    long copied = copyTable(sqlite, pg, t, cols);
                    String a = checksum(sqlite, t, cols);
                    String b = checksum(pg, t, cols);
                    long count = Rows.count(pg, "SELECT COUNT(*) FROM " + q(t));
                    if (count != copied || !a.equals(b)) {
                        throw new StoreException("verification failed for table " + t + ": source " + copied + " rows sha256 "
                                + a + ", target " + count + " rows sha256 " + b, null);
                    }
                    results.add(new TableResult(t, count, a));
                    total += count;
                }
                int copiedFiles = bucket == null ? 0 : copyFiles(files, bucket, written);
                return new Report(results, total, copiedFiles);
            } finally {
                sqlite.rollback();
                sqlite.setAutoCommit(true);
            }
        }));
    }

    private static int copyFiles(BlobStore files, BlobStore bucket, List<String> written) {
        int n = 0;
        for (String key : files.list("")) {
            byte[] bytes = files.get(key);
            written.add(key);
            bucket.put(key, bytes);
            if (!Arrays.equals(bytes, bucket.get(key))) {
                throw new StoreException("verification failed for file " + key + " in the bucket", null);
            }
            n++;
        }
        return n;
    }

    /** Table → column → PostgreSQL type name (udt_name), for every table but the migration bookkeeping. */
    private static Map<String, Map<String, String>> targetColumns(Connection pg) throws SQLException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (String[] c : Rows.list(pg, "SELECT table_name, column_name, udt_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})) {
            if (!BOOKKEEPING.equals(c[0])) {
                out.computeIfAbsent(c[0], k -> new LinkedHashMap<>()).put(c[1], c[2]);
            }
        }
        return out;
    }

    /** Source tables with every table a foreign key points at before the table itself. */
    private static List<String> dependencyOrder(Connection sqlite) throws SQLException {
        List<String> tables = Rows.list(sqlite, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                + "AND name <> '" + BOOKKEEPING + "' ORDER BY name", rs -> rs.getString(1));
        Set<String> done = new LinkedHashSet<>();
        for (String t : tables) {
            visit(sqlite, t, done, new LinkedHashSet<>());
        }
        return new ArrayList<>(done);
    }

    private static void visit(Connection sqlite, String t, Set<String> done, Set<String> path) throws SQLException {
        if (done.contains(t) || !path.add(t)) {
            return;
        }
        for (String parent : Rows.list(sqlite, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?)", rs -> rs.getString(1), t)) {
            if (!parent.equals(t)) {
                visit(sqlite, parent, done, path);
            }
        }
        done.add(t);
    }

    private static long copyTable(Connection sqlite, Connection pg, String table, Map<String, String> types) throws SQLException {
        List<String> cols = new ArrayList<>(types.keySet());
        String placeholders = cols.stream().map(c -> switch (types.get(c)) {
            case "jsonb" -> "CAST(? AS jsonb)";
            case "json" -> "CAST(? AS json)";
            default -> "?";
        }).collect(Collectors.joining(", "));
        String names = cols.stream().map(DataMoveRepository::q).collect(Collectors.joining(", "));
        long n = 0;
        try (PreparedStatement read = sqlite.prepareStatement("SELECT " + names + " FROM " + q(table) + " ORDER BY rowid");
             PreparedStatement insert = pg.prepareStatement("INSERT INTO " + q(table) + " (" + names + ") VALUES (" + placeholders + ")");
             ResultSet rs = read.executeQuery()) {
            while (rs.next()) {
                for (int i = 0; i < cols.size(); i++) {
                    bind(insert, i + 1, rs.getObject(i + 1), types.get(cols.get(i)));
                }
                insert.addBatch();
                if (++n % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return n;
    }

    /** SQLite's stored value as the PostgreSQL column's type. */
    private static void bind(PreparedStatement s, int i, Object v, String type) throws SQLException {
        if (v == null) {
            s.setObject(i, null);
            return;
        }
        switch (type) {
            case "timestamptz" -> s.setObject(i, OffsetDateTime.ofInstant(instant(v.toString()), ZoneOffset.UTC));
            case "bool" -> s.setBoolean(i, truthy(v));
            case "int2", "int4", "int8" -> s.setLong(i, v instanceof Number num ? num.longValue() : Long.parseLong(v.toString()));
            case "float4", "float8", "numeric" -> s.setDouble(i, v instanceof Number num ? num.doubleValue() : Double.parseDouble(v.toString()));
            case "bytea" -> s.setBytes(i, v instanceof byte[] b ? b : v.toString().getBytes(StandardCharsets.UTF_8));
            default -> s.setString(i, v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v.toString());
        }
    }

    private static boolean truthy(Object v) {
        return v instanceof Number n ? n.longValue() != 0 : v instanceof Boolean b ? b : "true".equalsIgnoreCase(v.toString()) || "1".equals(v.toString());
    }

    /** ISO-8601 as the repositories write it, or SQLite's CURRENT_TIMESTAMP form (UTC without a zone). */
    private static Instant instant(String s) {
        String iso = s.contains("T") ? s : s.replace(' ', 'T');
        return iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:?\\d\\d$") ? OffsetDateTime.parse(iso).toInstant() : Instant.parse(iso + "Z");
    }

    /** SHA-256 over the table's rows, each normalised to the same text on both engines, in sorted order. */
    private static String checksum(Connection c, String table, Map<String, String> types) throws SQLException {
        List<String> cols = new ArrayList<>(types.keySet());
        List<String> rows = new ArrayList<>(Rows.list(c, "SELECT " + cols.stream().map(DataMoveRepository::q)
                .collect(Collectors.joining(", ")) + " FROM " + q(table), rs -> {
                    StringBuilder row = new StringBuilder();
                    for (int i = 0; i < cols.size(); i++) {
                        row.append(normalise(rs, i + 1, types.get(cols.get(i)))).append('\u0001');
                    }
                    return row.toString();
                }));
        rows.sort(null); // engines order text differently: sorting here makes the checksum independent of it
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String r : rows) {
                d.update(r.getBytes(StandardCharsets.UTF_8));
                d.update((byte) '\n');
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalise(ResultSet rs, int i, String type) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return "\u0000";
        }
        return switch (type) {
            case "timestamptz" -> Long.toString(instant(rs.getString(i)).toEpochMilli());
            case "bool" -> Boolean.toString(truthy(v));
            case "int2", "int4", "int8" -> Long.toString(rs.getLong(i));
            case "float4", "float8", "numeric" -> Double.toString(rs.getDouble(i));
            case "bytea" -> Base64.getEncoder().encodeToString(rs.getBytes(i));
            case "jsonb", "json" -> canonicalJson(rs.getString(i));
            default -> rs.getString(i);
        };
    }

    private static String canonicalJson(String json) {
        try {
            return CANONICAL.writeValueAsString(CANONICAL.readValue(json, Object.class));
        } catch (java.io.IOException e) {
            throw new StoreException("a JSON column holds invalid JSON: " + e.getMessage(), e);
        }
    }

    private static String q(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
