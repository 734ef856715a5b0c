package dev.appstrate.server.testing;

import dev.appstrate.server.runs.RunDocumentRepository;
import dev.appstrate.server.runs.RunDocuments;
import dev.appstrate.server.runs.RunRepository;
import dev.appstrate.server.runs.Runs;
import dev.appstrate.server.storage.FileBlobStore;
import dev.appstrate.server.store.Database;
import java.nio.file.Path;
import java.time.Clock;

/** The runs service as the server builds it, on a test database and a data folder's {@code runs/} and {@code storage/}. */
public final class TestRuns {
    private TestRuns() {
    }

    public static Runs runs(Database db, Path dataDir) {
        return new Runs(new RunRepository(db), dataDir.resolve("runs"),
                new RunDocuments(new RunDocumentRepository(db), new FileBlobStore(dataDir.resolve("storage")), Clock.systemUTC()));
    }
}
