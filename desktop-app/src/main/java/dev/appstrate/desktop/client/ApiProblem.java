package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An error answer from the server (RFC 9457 problem+json) or a failure to reach it. Screens show
 * {@link #detail()}, the server's own human-readable explanation, and per-field {@link #errors()}.
 */
public final class ApiProblem extends RuntimeException {
    /** One field-level validation error: {@code errors[]} of a problem body. */
    public record FieldError(String field, String code, String message) {
    }

    private static final java.util.regex.Pattern MISSING_SCOPE =
            java.util.regex.Pattern.compile("Insufficient permissions: ([a-z0-9-]+:[a-z0-9-]+) required");

    private final int status;
    private final String code;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;
    private final String param;

    public ApiProblem(int status, String code, String title, String detail, List<FieldError> errors) {
        this(status, code, title, detail, errors, "");
    }

    public ApiProblem(int status, String code, String title, String detail, List<FieldError> errors, String param) {
        super(detail == null || detail.isBlank() ? title : detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.errors = List.copyOf(errors);
        this.param = param == null ? "" : param;
    }

    static ApiProblem fromBody(int status, String method, String path, JsonNode body) {
        if (body != null && body.isObject() && (body.has("detail") || body.has("title") || body.has("code"))) {
            List<FieldError> errors = new ArrayList<>();
            for (JsonNode e : body.path("errors")) {
                errors.add(new FieldError(DesktopJson.text(e, "field"), DesktopJson.text(e, "code"), DesktopJson.text(e, "message")));
            }
            return new ApiProblem(status, DesktopJson.text(body, "code"), DesktopJson.text(body, "title"),
                    DesktopJson.text(body, "detail"), errors, DesktopJson.text(body, "param"));
        }
        String detail = status == 404
                ? method + " " + path + " is not available on this server (404)."
                : "The server answered " + status + " to " + method + " " + path + ".";
        return new ApiProblem(status, "http_" + status, "HTTP " + status, detail, List.of());
    }

    static ApiProblem unreachable(String baseUrl, Exception cause) {
        ApiProblem p = new ApiProblem(0, "unreachable", "Server unreachable",
                "Cannot reach the server at " + baseUrl + ": " + cause.getMessage(), List.of());
        p.initCause(cause);
        return p;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /**
     * What a person reads: the server's detail, except for a missing permission, said as what the key lacks
     * ("This API key lacks api-keys:read.") rather than the server's "Insufficient permissions: … required".
     */
    public String detail() {
        String scope = missingScope();
        return scope.isEmpty() ? serverDetail() : lacks(scope);
    }

    /** "This API key lacks x:y." — how the app says a permission is missing, everywhere. */
    public static String lacks(String scope) {
        return "This API key lacks " + scope + ".";
    }

    /** The server's own detail, as it said it. */
    public String serverDetail() {
        return detail == null || detail.isBlank() ? title : detail;
    }

    /** The permission a 403 names ("Insufficient permissions: x:y required", the original's and ours), or "". */
    public String missingScope() {
        if (status != 403 || detail == null) {
            return "";
        }
        java.util.regex.Matcher m = MISSING_SCOPE.matcher(detail);
        return m.find() ? m.group(1) : "";
    }

    /** The credential itself was refused (unknown, revoked or expired key): fixing it is the only way on. */
    public boolean invalidCredential() {
        return status == 401;
    }

    /** Refused before sending: the request is one of our extensions and this server does not have it. */
    static ApiProblem notOnThisServer(String method, String path, Capability c) {
        return new ApiProblem(404, "not_available", "Not available",
                "Not available on this server (" + method + " " + path + " is an Appstrate Desktop extension).", List.of());
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** The request field or header the problem is about (e.g. cron_expression), or "". */
    public String param() {
        return param;
    }

    /** The endpoint does not exist on this server (older or partial server): screens say so calmly. */
    public boolean notAvailable() {
        return (status == 404 && (code.startsWith("http_") || code.equals("not_available")
                || serverDetail().startsWith("API endpoint not found")))
                || status == 405;
    }

    public boolean unauthorized() {
        return status == 401 || status == 403;
    }
}
