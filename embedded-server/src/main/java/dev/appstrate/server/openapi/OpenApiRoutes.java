package dev.appstrate.server.openapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.openapi.DocsPage;
import dev.appstrate.server.openapi.OpenApiDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The public spec and docs page; built once, on first request, when every module has registered its routes. */
public final class OpenApiRoutes {
    private record Built(byte[] json, String etag, byte[] html) {
    }

    private final Router router;
    private final String appVersion;
    private volatile Built built;

    public OpenApiRoutes(Router router, String appVersion) {
        this.router = router;
        this.appVersion = appVersion;
    }

    public void register(Router r) {
        r.get("/api/openapi.json", this::spec).publicRoute().doc("Meta", "OpenAPI 3.1 document of this server");
        r.get("/api/docs", this::docs).publicRoute().doc("Meta", "Human-readable list of the operations");
    }

    private Built built() {
        Built b = built;
        if (b == null) {
            synchronized (this) {
                b = built;
                if (b == null) {
                    ObjectNode doc = OpenApiDocument.build(router.routes(), appVersion);
                    byte[] json = Json.bytes(doc);
                    b = new Built(json, "\"" + sha256Hex(json).substring(0, 32) + "\"",
                            DocsPage.render(doc).getBytes(StandardCharsets.UTF_8));
                    built = b;
                }
            }
        }
        return b;
    }

    private ApiResponse spec(ApiRequest req) {
        Built b = built();
        String inm = req.header("If-None-Match");
        ApiResponse r = inm != null && matches(inm, b.etag()) ? ApiResponse.bytes(304, null, new byte[0])
                : ApiResponse.bytes(200, "application/json; charset=UTF-8", b.json());
        return r.header("ETag", b.etag()).header("Cache-Control", "public, max-age=0, must-revalidate");
    }

    private ApiResponse docs(ApiRequest req) {
        return ApiResponse.bytes(200, "text/html; charset=UTF-8", built().html())
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String t : ifNoneMatch.split(",")) {
            String v = t.trim();
            if (v.equals("*") || v.equals(etag) || v.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
