package dev.appstrate.server.datamove;

import dev.appstrate.server.DataFolderInUseException;
import dev.appstrate.server.DataFolderLock;
import dev.appstrate.server.config.ConfigException;
import dev.appstrate.server.config.S3Settings;
import dev.appstrate.server.storage.BlobStore;
import dev.appstrate.server.storage.FileBlobStore;
import dev.appstrate.server.storage.S3BlobStore;
import dev.appstrate.server.storage.StorageUnavailableException;
import dev.appstrate.server.store.DatabaseUnavailableException;
import dev.appstrate.server.store.DatabaseUrl;
import dev.appstrate.server.store.Migrations;
import dev.appstrate.server.store.PostgresDatabase;
import dev.appstrate.server.store.SqliteDatabase;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar appstrate-server.jar move-data --from <data folder> --to <DATABASE_URL>}: copies a laptop's SQLite
 * data folder into an empty PostgreSQL database (and its {@code storage/} files into S3_BUCKET when set), verified by
 * row counts and checksums, all in one transaction; any failure leaves the target empty. It refuses, writing nothing, a
 * source folder a running server holds, a target database or bucket that cannot be reached or already holds data.
 */
public final class MoveDataCommand {
    public static final String NAME = "move-data";
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private MoveDataCommand() {
    }

    public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        String from = null;
        String to = env.get("DATABASE_URL");
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--from") || a.equals("--to")) && i + 1 < args.size()) {
                if (a.equals("--from")) {
                    from = args.get(++i);
                } else {
                    to = args.get(++i);
                }
            } else if (a.equals("--help") || a.equals("-h")) {
                out.println(usage());
                return OK;
            } else {
                err.println("move-data: unknown option '" + a + "'\n" + usage());
                return USAGE;
            }
        }
        if (from == null || to == null || to.isBlank()) {
            err.println("move-data: --from and --to (or DATABASE_URL) are required\n" + usage());
            return USAGE;
        }
        Path dataDir = Path.of(from).toAbsolutePath().normalize();
        Path dbFile = dataDir.resolve("appstrate.db");
        if (!Files.isRegularFile(dbFile)) {
            err.println("move-data: no database at " + dbFile + " (--from is the laptop's data folder)");
            return USAGE;
        }
        DatabaseUrl url;
        try {
            url = DatabaseUrl.parse(to);
        } catch (RuntimeException e) {
            err.println("move-data: " + e.getMessage());
            return USAGE;
        }
        S3Settings s3;
        try {
            s3 = S3Settings.fromEnvironment(env);
        } catch (ConfigException e) {
            err.println("move-data: " + e.getMessage());
            return USAGE;
        }
        DataFolderLock lock;
        try {
            lock = DataFolderLock.acquire(dataDir); // held during the copy, so no server starts on the folder meanwhile
        } catch (DataFolderInUseException e) {
            return refused(err, "the data folder " + dataDir + " is in use by a running Appstrate server (pid " + e.holderPid()
                    + ", port " + e.holderPort() + "), so its data could change during the copy. Stop that server (quit the "
                    + "desktop app, or stop the headless server with Ctrl-C or SIGTERM), then run move-data again.");
        }
        try (lock; SqliteDatabase source = new SqliteDatabase(dbFile)) {
            DataMoveRepository.checkSourceSchema(source);
            return move(source, dataDir, url, s3, out, err);
        } catch (RuntimeException e) {
            err.println("move-data failed, the target was left unchanged: " + e.getMessage());
            return FAILED;
        }
    }

    /** Opens both targets, refuses either when unreachable or not empty, then copies. */
    private static int move(SqliteDatabase source, Path dataDir, DatabaseUrl url, S3Settings s3, PrintStream out, PrintStream err) {
        PostgresDatabase target;
        try {
            target = PostgresDatabase.connect(url, 2);
        } catch (DatabaseUnavailableException e) {
            return refused(err, "cannot connect to the target PostgreSQL at " + url.masked() + " (--to or DATABASE_URL): "
                    + e.reason() + ". Make sure PostgreSQL is running and accepts TCP connections on " + url.host() + ":"
                    + url.port() + ", and that the user, password and database in the URL exist; test it with psql \"$DATABASE_URL\" "
                    + "(the same URL).");
        }
        try (target; S3BlobStore bucket = s3 == null ? null : new S3BlobStore(s3, dataDir.resolve("storage"))) {
            if (bucket != null) {
                try {
                    bucket.checkBucket();
                } catch (StorageUnavailableException e) {
                    return refused(err, "cannot use the target bucket '" + s3.bucket() + "' at " + s3.endpointShown()
                            + " (S3_BUCKET, S3_ENDPOINT): " + e.reason() + ". Make sure the S3-compatible server is running and the "
                            + "bucket exists, and check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and S3_REGION; test it with "
                            + "aws s3 ls s3://" + s3.bucket() + (s3.endpoint() == null ? "" : " --endpoint-url " + s3.endpoint())
                            + ". Or unset S3_BUCKET and copy the folder's storage/ by hand.");
                }
            }
            try {
                DataMoveRepository.checkTargetEmpty(target);
                if (bucket != null) {
                    DataMoveRepository.checkBucketEmpty(bucket);
                }
            } catch (DataMoveRepository.TargetNotEmptyException e) {
                return refused(err, e.getMessage() + ".");
            }
            out.println("Moving " + dataDir + " into PostgreSQL at " + url.display()
                    + (bucket == null ? "" : " and its files into " + bucket.describe()));
            Migrations.apply(target, Clock.systemUTC());
            BlobStore files = new FileBlobStore(dataDir.resolve("storage"));
            List<String> written = new ArrayList<>();
            DataMoveRepository.Report report;
            try {
                report = DataMoveRepository.copy(source, target, bucket == null ? null : files, bucket, written);
            } catch (RuntimeException e) {
                takeBack(bucket, written, err);
                throw e;
            }
            for (DataMoveRepository.TableResult t : report.tables()) {
                out.println("  " + t.table() + ": " + t.rows() + " rows, sha256 " + t.checksum().substring(0, 16) + " (both sides)");
            }
            out.println("Done in one transaction: " + report.totalRows() + " rows in " + report.tables().size()
                    + " tables" + (bucket == null ? "" : ", " + report.files() + " files copied to the bucket") + ", counts and checksums match.");
            if (bucket == null) {
                out.println("Files: S3_BUCKET is not set, so copy " + dataDir.resolve("storage")
                        + " into the team server's DATA_DIR/storage.");
            }
            out.println("Secrets: stored secrets stay readable only if the team server runs with the same "
                    + "BETTER_AUTH_SECRET and CONNECTION_ENCRYPTION_KEY (and CONNECTION_ENCRYPTION_KEY_ID / "
                    + "CONNECTION_ENCRYPTION_KEYS) as this laptop's server; configure it with those values.");
            return OK;
        }
    }

    /** One paragraph saying why nothing was done; the caller exits non-zero. */
    private static int refused(PrintStream err, String why) {
        err.println("move-data refused, nothing was written: " + why);
        return FAILED;
    }

    /** The bucket was empty before the move: the objects this move put there are taken out again. */
    private static void takeBack(S3BlobStore bucket, List<String> written, PrintStream err) {
        for (String key : written) {
            try {
                bucket.deletePrefix(key);
            } catch (RuntimeException e) {
                err.println("move-data: could not remove " + key + " from the bucket after the failure: " + e.getMessage());
            }
        }
    }

    static String usage() {
        return String.join("\n", Arrays.asList(
                "Usage: java -jar appstrate-server.jar move-data --from <sqlite data folder> [--to <DATABASE_URL>]",
                "  Copies the folder's database into an empty PostgreSQL database (DATABASE_URL when --to is not given)",
                "  and, when S3_BUCKET (S3_REGION, S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) is set, its",
                "  storage/ files into the bucket. Stop the laptop's server first."));
    }
}
