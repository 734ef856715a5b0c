package dev.appstrate.server.secrets;

import dev.appstrate.server.config.ConfigException;
import dev.appstrate.server.store.SqliteDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar appstrate-server.jar rotate-key [--status]}: re-encrypts every stored secret with
 * CONNECTION_ENCRYPTION_KEY / CONNECTION_ENCRYPTION_KEY_ID, opening old values with the retired keys
 * in CONNECTION_ENCRYPTION_KEYS. One transaction; running it twice changes nothing the second time.
 */
public final class RotateKeyCommand {
    public static final String NAME = "rotate-key";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private RotateKeyCommand() {
    }

    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        boolean statusOnly = false;
        for (String a : args) {
            if (a.equals("--status")) {
                statusOnly = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                out.println(usage());
                return OK;
            } else {
                err.println("rotate-key: unknown option '" + a + "'\n" + usage());
                return USAGE;
            }
        }
        KeyRing ring;
        try {
            ring = KeyRing.fromEnvironment(env::get);
        } catch (ConfigException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        String dir = env.get("DATA_DIR");
        Path dataDir = Path.of(dir == null || dir.isBlank() ? "./data" : dir).toAbsolutePath().normalize();
        Path dbFile = dataDir.resolve("appstrate.db");
        if (!Files.isRegularFile(dbFile)) {
            err.println("rotate-key: no database at " + dbFile + " (set DATA_DIR to the server's data folder)");
            return USAGE;
        }
        SecretBox box = new SecretBox(ring);
        KeyRotation rotation = new KeyRotation(box);
        try (SqliteDatabase db = new SqliteDatabase(dbFile)) {
            if (statusOnly) {
                printStatus(rotation.status(db), out);
                return OK;
            }
            out.println("Re-encrypting stored secrets with key '" + ring.activeKid() + "' in " + dbFile
                    + " (key ring: " + String.join(", ", ring.kids()) + ")");
            KeyRotation.Report report;
            try {
                report = rotation.rotate(db);
            } catch (SecretException e) {
                err.println("rotate-key failed, the database was left unchanged: " + e.getMessage());
                return FAILED;
            }
            for (KeyRotation.ColumnResult r : report.columns()) {
                out.println("  " + r.table() + "." + r.column() + ": " + r.rotated() + " re-encrypted, "
                        + r.alreadyCurrent() + " already on " + report.activeKid());
            }
            out.println("Done in one transaction: " + report.rotated() + " re-encrypted, " + report.alreadyCurrent()
                    + " already current.");
            out.println("Every stored secret is now encrypted with '" + report.activeKid() + "'. Once every server "
                    + "using this data folder runs with the new key, retired keys can be removed from CONNECTION_ENCRYPTION_KEYS.");
            return OK;
        } catch (RuntimeException e) {
            err.println("rotate-key failed: " + e.getMessage());
            return FAILED;
        }
    }

    static void printStatus(KeyRotation.Status s, PrintStream out) {
        out.println("Active key: " + s.activeKid() + " (key ring: " + String.join(", ", s.keyRingKids()) + ")");
        for (KeyRotation.ColumnStatus c : s.columns()) {
            out.println("  " + c.table() + "." + c.column() + ": " + (c.valuesByKid().isEmpty() ? "no values" : c.valuesByKid()));
        }
        out.println("Total " + s.total() + " values, " + s.needsRotation() + " not on the active key, "
                + s.unreadable() + " under a key not in the ring.");
    }

    static String usage() {
        return "Usage: java -jar appstrate-server.jar rotate-key [--status]\n"
                + "  Reads DATA_DIR, CONNECTION_ENCRYPTION_KEY + CONNECTION_ENCRYPTION_KEY_ID (the new key) and\n"
                + "  CONNECTION_ENCRYPTION_KEYS (retired keys as JSON {\"kid\":\"<base64>\"}) from the environment.\n"
                + "  --status  only print which key id encrypts how many values.";
    }
}
