package dev.appstrate.server.secrets;

import dev.appstrate.server.store.Database;
import java.util.ArrayList;
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
        Map<EncryptedColumnRepository.Column, int[]> counts = new EncryptedColumnRepository(db).rewriteAll(this::reseal);
        List<ColumnResult> results = new ArrayList<>();
        counts.forEach((col, n) -> results.add(new ColumnResult(col.table(), col.column(), n[0], n[1])));
        return new Report(box.keyRing().activeKid(), results);
    }

    /** The envelope sealed again with the active key, or null when it already is. */
    private String reseal(EncryptedColumnRepository.Column col, long rowid, String envelope) {
        if (box.isCurrent(envelope)) {
            return null;
        }
        String plain;
        try {
            plain = box.decrypt(envelope);
        } catch (SecretException e) {
            // the message names the kid and cause, never the value
            throw new SecretException(col.qualified() + " (rowid " + rowid + "): " + e.getMessage() + " Nothing was changed.", e);
        }
        return box.encrypt(plain);
    }

    /** The key id of a v1:<kid>:… envelope, or the not-an-envelope marker. */
    private static String kidOf(String sealed) {
        int end = sealed.startsWith("v1:") ? sealed.indexOf(':', 3) : -1;
        return end < 0 ? NOT_AN_ENVELOPE : sealed.substring(3, end);
    }

    public Status status(Database db) {
        Map<String, Integer> total = new TreeMap<>();
        List<ColumnStatus> columns = new ArrayList<>();
        new EncryptedColumnRepository(db).countByKid(NOT_AN_ENVELOPE).forEach((col, byKid) -> {
            byKid.forEach((kid, n) -> total.merge(kid, n, Integer::sum));
            columns.add(new ColumnStatus(col.table(), col.column(), byKid));
        });
        return new Status(box.keyRing().activeKid(), List.copyOf(box.keyRing().kids()), total, columns);
    }
}
