package dev.appstrate.server.runs;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.ListEnvelope;
import dev.appstrate.server.http.Router;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Documents runs publish: the runner's signed {@code POST /api/runs/{id}/documents} (its end-of-run {@code outputs/} sweep,
 * as the original's runtime does) and the original's {@code /api/documents} routes to list and download them.
 */
public final class RunDocumentRoutes {
    private static final int NAME_MAX = 255;
    private static final java.util.regex.Pattern DOCUMENT_ID = java.util.regex.Pattern.compile("^doc_[0-9a-f]{32}$");
    private final EventIngestion ingestion;
    private final RunRepository runs;
    private final RunDocumentRepository repo;
    private final RunDocuments documents;
    private final long maxFileBytes;

    /** @param maxFileBytes {@code DOCUMENT_MAX_FILE_BYTES}: the runner's upload streams to storage up to this size */
    public RunDocumentRoutes(EventIngestion ingestion, RunRepository runs, RunDocumentRepository repo, RunDocuments documents,
                             long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
        this.ingestion = ingestion;
        this.runs = runs;
        this.repo = repo;
        this.documents = documents;
    }

    public void register(Router r) {
        r.post("/api/runs/{id}/documents", this::publish).publicRoute().streamedBody(maxFileBytes).doc("Runner",
                "Publish a document the agent produced: the raw bytes, X-Document-Name (percent-encoded), Content-Type "
                        + "(signed like the events over an empty body; streamed to storage, up to DOCUMENT_MAX_FILE_BYTES)");
        r.get("/api/documents", this::list).appScoped().permission("documents:read")
                .doc("Documents", "List the documents runs published, newest first (?run_id=)");
        r.get("/api/documents/{id}", this::get).appScoped().permission("documents:read").doc("Documents", "A document's metadata");
        r.get("/api/documents/{id}/content", this::content).appScoped().permission("documents:read")
                .doc("Documents", "Download a document's bytes (attachment)");
        r.delete("/api/documents/{id}", this::delete).appScoped().permission("documents:delete")
                .doc("Documents", "Delete a document: its row and its stored bytes (204)");
    }

    private ApiResponse publish(ApiRequest req) {
        String runId = req.pathParam("id");
        ingestion.verify(req, "");
        RunRecord run = runs.find(runId).orElseThrow(() -> ApiException.notFound("run_not_found", "Run not found"));
        String name = name(req.header("X-Document-Name"));
        String presentation = req.header("X-Document-Presentation");
        if (presentation != null && !presentation.equals("primary")) {
            throw ApiException.invalidRequest("X-Document-Presentation must be \"primary\" or absent", "X-Document-Presentation");
        }
        String mime = req.header("Content-Type");
        mime = mime == null || mime.isBlank() ? "application/octet-stream" : mime.strip();
        RunDocuments.Published p = documents.publish(run, name, mime, presentation, req.bodyStream(), maxFileBytes);
        return ApiResponse.json(p.created() ? 201 : 200, p.document().published());
    }

    /** The original's rules: strictly percent-decoded, separators and control characters replaced, at most 255 characters. */
    static String name(String header) {
        if (header == null || header.isBlank()) {
            throw ApiException.invalidRequest("X-Document-Name is required", "X-Document-Name");
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(header.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("X-Document-Name is not valid percent-encoding", "X-Document-Name");
        }
        StringBuilder b = new StringBuilder();
        decoded.codePoints().forEach(cp -> b.appendCodePoint(cp == '/' || cp == '\\' || Character.isISOControl(cp) ? '_' : cp));
        String name = b.toString().replace("..", "_").strip();
        if (name.isEmpty() || name.equals(".")) {
            throw ApiException.invalidRequest("X-Document-Name names no file", "X-Document-Name");
        }
        // never between the two halves of a character: a lone half is stored and served as '?'
        return name.length() <= NAME_MAX ? name : name.substring(0, Character.isHighSurrogate(name.charAt(NAME_MAX - 1)) ? NAME_MAX - 1 : NAME_MAX);
    }

    /** The document if the caller may see its run (an impersonated end-user: only its own runs' documents), else 404. */
    private RunDocument find(ApiRequest req) {
        String endUser = req.auth().endUserId();
        return repo.find(req.applicationId(), req.pathParam("id"))
                .filter(d -> endUser == null || runs.find(d.runId()).map(r -> endUser.equals(r.origin().endUserId())).orElse(false))
                .orElseThrow(() -> ApiException.notFound("document_not_found", "Document not found"));
    }

    private ApiResponse list(ApiRequest req) {
        String runId = req.queryParam("run_id").filter(s -> !s.isBlank()).orElse(null);
        ListEnvelope.Page page = ListEnvelope.Page.from(req, 20, 100);
        String endUser = req.auth().endUserId();
        List<Object> data = repo.list(req.applicationId(), runId, endUser, page.limit(), page.offset()).stream()
                .map(d -> (Object) d.json()).toList();
        return ListEnvelope.offsetPage(req, data, repo.count(req.applicationId(), runId, endUser), page);
    }

    private ApiResponse delete(ApiRequest req) {
        String id = req.pathParam("id");
        if (!DOCUMENT_ID.matcher(id).matches()) {
            throw ApiException.invalidRequest("Document ids look like doc_ followed by 32 hex digits", "id");
        }
        if (req.auth().endUserId() != null) {
            find(req); // an impersonated end-user deletes only its own runs' documents
        }
        if (!documents.delete(req.applicationId(), id)) {
            throw ApiException.notFound("document_not_found", "Document not found");
        }
        return ApiResponse.noContent();
    }

    private ApiResponse get(ApiRequest req) {
        return ApiResponse.ok(find(req).json());
    }

    private ApiResponse content(ApiRequest req) {
        RunDocument d = find(req);
        String ascii = d.name().replaceAll("[^A-Za-z0-9._ -]", "_");
        InputStream content = documents.content(d);
        // streamed from the store: a 100 MiB document never sits whole in the server's heap
        return ApiResponse.stream(200, d.mime(), out -> {
                    try (content) {
                        content.transferTo(out);
                    }
                })
                .header("Content-Length", String.valueOf(d.size()))
                .header("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(d.name(), StandardCharsets.UTF_8).replace("+", "%20"))
                .header("X-Content-Type-Options", "nosniff");
    }
}
