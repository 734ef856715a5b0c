package dev.appstrate.server.runs;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.storage.BlobStore;
import dev.appstrate.server.store.Times;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.HexFormat;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents runs publish: a row in {@code run_documents} and the bytes in the server's {@link BlobStore} (the data
 * folder's {@code storage/} or the S3 bucket, so any instance serves what another stored). Deleted with their run.
 */
public final class RunDocuments {
    private static final Logger LOG = LoggerFactory.getLogger(RunDocuments.class);
    /** The original's RUN_MAX_DOCUMENTS default. */
    static final int MAX_PER_RUN = 200;
    private final RunDocumentRepository repo;
    private final BlobStore blobs;
    private final Clock clock;

    public RunDocuments(RunDocumentRepository repo, BlobStore blobs, Clock clock) {
        this.repo = repo;
        this.blobs = blobs;
        this.clock = clock;
    }

    /** A stored document, and whether this call stored it (false: the same bytes and name were published before). */
    public record Published(RunDocument document, boolean created) {
    }

    /** Stores the bytes, then the row; a refused write is a 503 that leaves neither behind. */
    public Published publish(RunRecord run, String name, String mime, String presentation, byte[] bytes) {
        String sha256 = sha256(bytes);
        var same = repo.same(run.id(), name, sha256);
        if (same.isPresent()) {
            return new Published(same.get(), false);
        }
        if (repo.countOfRun(run.id()) >= MAX_PER_RUN) {
            throw new ApiException(413, "document_count_exceeded", "Payload Too Large",
                    "A run may publish at most " + MAX_PER_RUN + " documents");
        }
        RunDocument d = new RunDocument("doc_" + UUID.randomUUID().toString().replace("-", ""), run.id(), run.scope().applicationId(),
                run.scope().packageId(), name, mime, bytes.length, sha256, presentation, Times.iso(clock.instant()));
        // the bytes first, under a fresh key nothing points at yet: the database's write lock is never held across a network put
        try {
            blobs.put(d.key(), bytes);
        } catch (UncheckedIOException e) {
            LOG.warn("Document not stored runId={} name={}: {}", run.id(), name, e.getMessage());
            throw new ApiException(503, "storage_unavailable", "Service Unavailable", "The document could not be stored: "
                    + e.getMessage());
        }
        try {
            repo.insert(d);
        } catch (RuntimeException e) {
            forget(d.key());
            throw e;
        }
        LOG.info("Document stored runId={} documentId={} size={}", run.id(), d.id(), d.size());
        return new Published(d, true);
    }

    /** The document's bytes; a 503 when the store cannot give them. */
    public byte[] content(RunDocument d) {
        try {
            return blobs.get(d.key());
        } catch (UncheckedIOException e) {
            LOG.warn("Document unreadable documentId={}: {}", d.id(), e.getMessage());
            throw new ApiException(503, "storage_unavailable", "Service Unavailable", "The document's content cannot be read now");
        }
    }

    /** After their rows are gone (cascaded with the runs): the runs' objects. Failures are logged, the rest still deleted. */
    public void forgetRuns(Collection<String> runIds) {
        for (String runId : runIds) {
            try {
                blobs.deletePrefix("runs/" + runId + "/");
            } catch (RuntimeException e) {
                LOG.warn("Objects of deleted run {} not deleted (they are unreachable, delete runs/{}/ by hand): {}", runId, runId,
                        e.getMessage());
            }
        }
    }

    private void forget(String key) {
        try {
            blobs.delete(key);
        } catch (RuntimeException e) {
            LOG.warn("Unreferenced object {} not deleted: {}", key, e.getMessage());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
