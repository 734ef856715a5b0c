package dev.appstrate.server.inline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The ephemeral packages of inline runs ({@code inline_packages}): the manifest and prompt each run ran. */
public final class InlinePackageRepository {
    private final Database db;

    /** What an inline run was started with. */
    public record InlinePackage(String id, String runId, JsonNode manifest, String prompt, String createdAt) {
    }

    public InlinePackageRepository(Database db) {
        this.db = db;
    }

    public void insert(String id, String orgId, String applicationId, JsonNode manifest, String prompt, String createdAt) {
        db.write(c -> Rows.update(c, "INSERT INTO inline_packages(id,org_id,application_id,run_id,manifest,prompt,created_at) "
                + "VALUES (?,?,?,NULL,?,?,?)", id, orgId, applicationId, Json.string(manifest), prompt, createdAt));
    }

    public void attachRun(String id, String runId) {
        db.write(c -> Rows.update(c, "UPDATE inline_packages SET run_id=? WHERE id=?", runId, id));
    }

    public void delete(String id) {
        db.write(c -> Rows.update(c, "DELETE FROM inline_packages WHERE id=?", id));
    }

    public Optional<InlinePackage> find(String id) {
        return db.read(c -> Rows.one(c, "SELECT id,run_id,manifest,prompt,created_at FROM inline_packages WHERE id=?",
                rs -> new InlinePackage(rs.getString(1), rs.getString(2), tree(rs.getString(3)), rs.getString(4),
                        rs.getString(5)), id));
    }

    private static JsonNode tree(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            return Json.MAPPER.nullNode();
        }
    }

    /** The runs of packages created before the cutoff (a package whose run never started has none). */
    public List<String> runIdsCreatedBefore(String cutoff) {
        return db.read(c -> Rows.list(c, "SELECT run_id FROM inline_packages WHERE created_at<? AND run_id IS NOT NULL",
                rs -> rs.getString(1), cutoff));
    }

    /** Deletes the packages created before the cutoff that no run needs: no run, or a run not in {@code liveRunIds}. */
    public int deleteCreatedBefore(String cutoff, Collection<String> liveRunIds) {
        return db.write(c -> {
            List<Object> args = new ArrayList<>(List.of(cutoff));
            args.addAll(liveRunIds);
            String keep = liveRunIds.isEmpty() ? "" : " AND (run_id IS NULL OR run_id NOT IN ("
                    + String.join(",", Collections.nCopies(liveRunIds.size(), "?")) + "))";
            return Rows.update(c, "DELETE FROM inline_packages WHERE created_at<?" + keep, args.toArray());
        });
    }
}
