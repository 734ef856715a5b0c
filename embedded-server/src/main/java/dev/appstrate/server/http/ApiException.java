package dev.appstrate.server.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The one error type of the API; {@link ProblemJson} turns it into RFC 9457 problem+json. */
public final class ApiException extends RuntimeException {
    /** One field-level validation error, as in the original's {@code errors[]}. */
    public record FieldError(String field, String code, String message) {
    }

    private final int status;
    private String code;
    private final String title;
    private String param;
    private Integer retryAfter;
    private List<FieldError> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ApiException(int status, String code, String detail) {
        this(status, code, null, detail);
    }

    public ApiException(int status, String code, String title, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title != null ? title : titleOf(code);
    }

    public static ApiException invalidRequest(String detail, String param) {
        return new ApiException(400, "invalid_request", detail).param(param);
    }

    public static ApiException validation(List<FieldError> errors) {
        FieldError first = errors.get(0);
        String detail = first.field() + ": " + first.message() + (errors.size() > 1 ? " (+" + (errors.size() - 1) + " more)" : "");
        ApiException e = new ApiException(400, "validation_failed", "Validation Failed", detail);
        e.errors = List.copyOf(errors);
        return e;
    }

    public static ApiException validation(String field, String code, String message) {
        return validation(List.of(new FieldError(field, code, message)));
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", detail).header("WWW-Authenticate", "Bearer");
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not_found", detail);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, "Not Found", detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, code, "Conflict", detail);
    }

    public ApiException param(String value) {
        this.param = value;
        return this;
    }

    /** Same status and title, another machine code (e.g. invalid_request → idempotency_not_supported). */
    public ApiException codeOverride(String value) {
        this.code = value;
        return this;
    }

    public ApiException retryAfter(int seconds) {
        this.retryAfter = seconds;
        return this;
    }

    public ApiException header(String name, String value) {
        headers.put(name, value);
        return this;
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

    public String detail() {
        return getMessage();
    }

    public String param() {
        return param;
    }

    public Integer retryAfterSeconds() {
        return retryAfter;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }

    static String titleOf(String code) {
        StringBuilder sb = new StringBuilder();
        for (String w : code.split("_")) {
            if (w.isEmpty()) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
        }
        return sb.toString();
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        // thrown for control flow on every 4xx: a stack trace is never read
        return this;
    }
}
