package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** SQL for packages, versions and installs; every method runs on a connection the caller opened. */
final class PackageRepository {
    private static final String PKG = "p.id,p.org_id,p.type,p.source,p.draft_manifest,p.draft_content,p.lock_version,"
            + "p.auto_installed,p.forked_from,p.created_by,p.created_at,p.updated_at";
    private static final String VER = "id,package_id,version,integrity,artifact_size,manifest,content,yanked,yanked_reason,"
            + "created_by,created_at";
    private static final String INST = "application_id,package_id,version_id,input_settings,model_id,generation_config,"
            + "proxy_id,enabled,installed_at,updated_at";

    private PackageRepository() {
    }

    static Optional<StoredPackage> byId(Connection c, String id) throws SQLException {
        return Rows.one(c, "SELECT " + PKG + " FROM packages p WHERE p.id=?", PackageRepository::pkg, id);
    }

    static List<StoredPackage> installed(Connection c, String appId, String type) throws SQLException {
        return Rows.list(c, "SELECT " + PKG + " FROM packages p JOIN application_packages a ON a.package_id=p.id "
                + "WHERE a.application_id=? AND p.type=? ORDER BY p.created_at ASC, p.id ASC", PackageRepository::pkg, appId, type);
    }

    static void insert(Connection c, StoredPackage p) throws SQLException {
        Rows.update(c, "INSERT INTO packages(id,org_id,type,source,draft_manifest,draft_content,lock_version,auto_installed,"
                        + "forked_from,created_by,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                p.id(), p.orgId(), p.type(), p.source(), Json.string(p.draftManifest()), p.draftContent(), p.lockVersion(),
                p.autoInstalled(), p.forkedFrom(), p.createdBy(), Times.iso(p.createdAt()), Times.iso(p.updatedAt()));
    }

    static void updateDraft(Connection c, String id, JsonNode manifest, String content, String at) throws SQLException {
        Rows.update(c, "UPDATE packages SET draft_manifest=?, draft_content=?, lock_version=lock_version+1, updated_at=? WHERE id=?",
                Json.string(manifest), content, at, id);
    }

    static boolean delete(Connection c, String id) throws SQLException {
        return Rows.update(c, "DELETE FROM packages WHERE id=?", id) == 1;
    }

    static long insertVersion(Connection c, PackageVersion v) throws SQLException {
        return Rows.one(c, "INSERT INTO package_versions(package_id,version,integrity,artifact_size,manifest,content,yanked,"
                        + "yanked_reason,created_by,created_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id", rs -> rs.getLong(1),
                v.packageId(), v.version(), v.integrity(), v.artifactSize(), Json.string(v.manifest()), v.content(), v.yanked(),
                v.yankedReason(), v.createdBy(), Times.iso(v.createdAt())).orElseThrow();
    }

    static void replaceVersion(Connection c, long id, PackageVersion v) throws SQLException {
        Rows.update(c, "UPDATE package_versions SET integrity=?, artifact_size=?, manifest=?, content=?, created_by=?, "
                        + "created_at=? WHERE id=?", v.integrity(), v.artifactSize(), Json.string(v.manifest()), v.content(),
                v.createdBy(), Times.iso(v.createdAt()), id);
    }

    static List<PackageVersion> versions(Connection c, String packageId) throws SQLException {
        return Rows.list(c, "SELECT " + VER + " FROM package_versions WHERE package_id=? ORDER BY id DESC",
                PackageRepository::version, packageId);
    }

    static Optional<PackageVersion> version(Connection c, String packageId, String version) throws SQLException {
        return Rows.one(c, "SELECT " + VER + " FROM package_versions WHERE package_id=? AND version=?",
                PackageRepository::version, packageId, version);
    }

    static Optional<PackageVersion> versionById(Connection c, long id) throws SQLException {
        return Rows.one(c, "SELECT " + VER + " FROM package_versions WHERE id=?", PackageRepository::version, id);
    }

    /** The newest version that is not yanked. */
    static Optional<PackageVersion> latest(Connection c, String packageId) throws SQLException {
        return Rows.one(c, "SELECT " + VER + " FROM package_versions WHERE package_id=? AND yanked=0 ORDER BY id DESC LIMIT 1",
                PackageRepository::version, packageId);
    }

    static long versionCount(Connection c, String packageId) throws SQLException {
        return Rows.count(c, "SELECT COUNT(*) FROM package_versions WHERE package_id=?", packageId);
    }

    static Optional<Installation> installation(Connection c, String appId, String packageId) throws SQLException {
        return Rows.one(c, "SELECT " + INST + " FROM application_packages WHERE application_id=? AND package_id=?",
                PackageRepository::installation, appId, packageId);
    }

    static List<Installation> installations(Connection c, String appId) throws SQLException {
        return Rows.list(c, "SELECT " + INST + " FROM application_packages WHERE application_id=? ORDER BY installed_at ASC, "
                + "package_id ASC", PackageRepository::installation, appId);
    }

    /** Installs (or keeps installed); true when a new install row was written. */
    static boolean install(Connection c, String appId, String packageId, String at) throws SQLException {
        return Rows.update(c, "INSERT INTO application_packages(application_id,package_id,installed_at,updated_at) "
                + "VALUES (?,?,?,?) ON CONFLICT DO NOTHING", appId, packageId, at, at) == 1;
    }

    static boolean uninstall(Connection c, String appId, String packageId) throws SQLException {
        return Rows.update(c, "DELETE FROM application_packages WHERE application_id=? AND package_id=?", appId, packageId) == 1;
    }

    private static StoredPackage pkg(ResultSet rs) throws SQLException {
        return new StoredPackage(rs.getString("id"), rs.getString("org_id"), rs.getString("type"), rs.getString("source"),
                tree(rs.getString("draft_manifest")), rs.getString("draft_content"), rs.getInt("lock_version"),
                rs.getInt("auto_installed") == 1, rs.getString("forked_from"), rs.getString("created_by"),
                Times.parse(rs.getString("created_at")), Times.parse(rs.getString("updated_at")));
    }

    private static PackageVersion version(ResultSet rs) throws SQLException {
        return new PackageVersion(rs.getLong("id"), rs.getString("package_id"), rs.getString("version"),
                rs.getString("integrity"), rs.getLong("artifact_size"), tree(rs.getString("manifest")), rs.getString("content"),
                rs.getInt("yanked") == 1, rs.getString("yanked_reason"), rs.getString("created_by"),
                Times.parse(rs.getString("created_at")));
    }

    private static Installation installation(ResultSet rs) throws SQLException {
        long v = rs.getLong("version_id");
        Long versionId = rs.wasNull() ? null : v;
        return new Installation(rs.getString("application_id"), rs.getString("package_id"), versionId,
                tree(rs.getString("input_settings")), rs.getString("model_id"), tree(rs.getString("generation_config")),
                rs.getString("proxy_id"), rs.getInt("enabled") == 1, Times.parse(rs.getString("installed_at")),
                Times.parse(rs.getString("updated_at")));
    }

    private static JsonNode tree(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    static boolean installedOutside(Connection c, String packageId, String appId) throws SQLException {
        return Rows.exists(c, "SELECT 1 FROM application_packages WHERE package_id=? AND application_id<>? LIMIT 1", packageId,
                appId);
    }
}
