package dev.appstrate.server.http;

import dev.appstrate.server.json.Json;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jetty answers itself, before a request reaches {@link AppstrateHandler} (an ambiguous or NUL-bearing URI, a URI
 * or headers over its limits, a request line it cannot parse), in the API's problem+json instead of Jetty's HTML page
 * or an empty body: every client error of this server has one shape.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorHandler.class);

    /** Every method gets the body (Jetty's default writes one for GET, POST and HEAD only: a DELETE got an empty 400). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String requestId = RequestIds.next();
        if (code >= 500) {
            // Jetty's message for a 5xx is the cause's toString(): logged with the id, never sent to the client
            LOG.error("Server error outside the API handler status={} requestId={} path={}", code, requestId,
                    request.getHttpURI().getPath(), cause);
        }
        byte[] body = body(code, message, requestId);
        response.getHeaders().put("Request-Id", requestId);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemJson.CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, ProblemJson.CONTENT_TYPE);
        return ByteBuffer.wrap(body(status, reason, RequestIds.next()));
    }

    static byte[] body(int status, String message, String requestId) {
        if (status >= 500) { // the API's own 500, whatever Jetty's reason was
            return Json.bytes(ProblemJson.body(new ApiException(500, "internal_error", "An internal error occurred"), requestId));
        }
        String title = HttpStatus.getMessage(status);
        String code = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        String detail = message == null || message.isBlank() || message.equals(title)
                ? "The request could not be read (" + status + " " + title + ")" : message;
        return Json.bytes(ProblemJson.body(new ApiException(status, code.isEmpty() ? "http_" + status : code, title, detail), requestId));
    }
}
