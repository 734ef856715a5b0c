package dev.appstrate.server.secrets;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.secrets.KeyRotation;
import dev.appstrate.server.store.Database;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/secrets/status} (our extension): which key id encrypts how many stored values. */
public final class SecretsRoutes {
    private final Database db;
    private final KeyRotation rotation;

    public SecretsRoutes(Database db, KeyRotation rotation) {
        this.db = db;
        this.rotation = rotation;
    }

    public void register(Router r) {
        r.get("/api/secrets/status", this::status).extension("secrets_status")
                .doc("Secrets", "Encryption key status: values per key id");
    }

    private ApiResponse status(ApiRequest req) {
        if (req.auth() != null && req.auth().kind() == AuthContext.Kind.API_KEY) {
            throw ApiException.forbidden("Encryption status is available to the owner only");
        }
        KeyRotation.Status s = rotation.status(db);
        List<Map<String, Object>> keys = new ArrayList<>();
        for (String kid : s.keyRingKids()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("kid", kid);
            k.put("active", kid.equals(s.activeKid()));
            k.put("values", s.valuesByKid().getOrDefault(kid, 0));
            keys.add(k);
        }
        List<Map<String, Object>> columns = new ArrayList<>();
        for (KeyRotation.ColumnStatus c : s.columns()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("table", c.table());
            m.put("column", c.column());
            m.put("values_by_kid", c.valuesByKid());
            columns.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "secrets_status");
        out.put("algorithm", "AES-256-GCM");
        out.put("active_kid", s.activeKid());
        out.put("key_ring", keys);
        out.put("values_by_kid", s.valuesByKid());
        out.put("total_values", s.total());
        out.put("needs_rotation", s.needsRotation());
        out.put("unreadable", s.unreadable());
        out.put("columns", columns);
        return ApiResponse.ok(out);
    }
}
