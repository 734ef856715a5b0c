package dev.appstrate.server.runs;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.storage.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recorded runs as the read routes and other features ask about them: one run of an application, each schedule's run
 * counters, and deleting finished runs together with their folders ({@code runs/<runId>/}) and their documents' objects.
 */
public final class Runs {
    private static final Logger LOG = LoggerFactory.getLogger(Runs.class);
    private final RunRepository repo;
    private final Path runsDir;
    private final RunDocuments documents;

    public Runs(RunRepository repo, Path runsDir, RunDocuments documents) {
        this.repo = repo;
        this.runsDir = runsDir;
        this.documents = documents;
    }

    /**
     * The run as the caller may see it: one of the request's application and, for an impersonated end-user
     * ({@code Appstrate-User}), one of that end-user's runs; else 404, as the original, so other runs' ids are not revealed.
     * Every route that reads or acts on one run by id asks here (its logs, stream, transcript, documents, cancel).
     */
    public RunRecord visibleTo(ApiRequest req, String runId) {
        String endUser = req.auth().endUserId();
        return repo.find(runId).filter(r -> r.scope().applicationId().equals(req.applicationId())
                        && (endUser == null || endUser.equals(r.origin().endUserId())))
                .orElseThrow(() -> ApiException.notFound("Run not found"));
    }

    /** The run counters of every schedule of an application that has runs, by schedule id. */
    public Map<String, ScheduleRuns> bySchedule(String applicationId) {
        return repo.runsBySchedule(applicationId);
    }

    /** Deletes those of the runs that have finished, their logs, transcripts, documents and folders; answers the ids deleted. */
    public List<String> deleteFinished(Collection<String> runIds) {
        return forget(repo.deleteFinished(runIds));
    }

    /** Deletes an agent's finished runs in an application (only {@code endUserId}'s unless null), as {@link #deleteFinished}. */
    public List<String> deleteFinishedOfPackage(String applicationId, String packageId, String endUserId) {
        return forget(repo.deleteFinishedOfPackage(applicationId, packageId, endUserId));
    }

    /** After the rows are gone (documents' rows cascade): the runs' objects in the blob store, then their folders. */
    private List<String> forget(List<String> deleted) {
        documents.forgetRuns(deleted);
        for (String runId : deleted) {
            deleteFolder(runsDir.resolve(runId));
        }
        return deleted;
    }

    /** Those of the runs that still exist. */
    public Set<String> existing(Collection<String> runIds) {
        return repo.existing(runIds);
    }

    private static void deleteFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            LOG.warn("Run folder not fully removed dir={} error={}", dir, e.toString());
        }
    }
}
