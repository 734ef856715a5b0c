package dev.appstrate.server.secrets;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar's credential proxy as a pure function (the original's {@code executeApiCall} steps 3–5):
 * substitute {@code {{var}}} placeholders with the connection's fields, refuse URLs outside the
 * integration's {@code authorized_uris}, and inject the credential header server-side, so the agent
 * only ever sees placeholders. Refusal reasons name fields and headers, never values.
 */
public final class CredentialInjector {
    private static final Pattern VAR = Pattern.compile("\\{\\{\\s*(\\w+)\\s*\\}\\}");
    private static final Pattern TEMPLATE_REF = Pattern.compile("\\{\\$credential\\.(\\w+)\\}|\\{\\{\\s*(\\w+)\\s*\\}\\}");
    private static final Pattern SCHEME_GLUED = Pattern.compile("^(Bearer|Basic|Token)(?=\\S)", Pattern.CASE_INSENSITIVE);
    /** RFC 7230 §6.1 hop-by-hop headers plus those the HTTP client sets itself. */
    private static final Set<String> DROPPED = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    private CredentialInjector() {
    }

    /** What the agent asked the sidecar to send. Header names keep their case; body may be null. */
    public record OutgoingRequest(String method, String url, Map<String, String> headers, byte[] body,
                                  boolean substituteBody) {
        public OutgoingRequest {
            headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
        }

        public static OutgoingRequest of(String method, String url, Map<String, String> headers) {
            return new OutgoingRequest(method, url, headers, null, false);
        }
    }

    /** The outcome: forward a rewritten request, or refuse before any byte leaves. */
    public sealed interface Outcome permits Forward, Refuse {
    }

    /** The request to send upstream; {@code injectedHeaders} lists names only, for diagnostics. */
    public record Forward(String method, URI uri, Map<String, String> headers, byte[] body,
                          List<String> injectedHeaders) implements Outcome {
        @Override
        public String toString() {
            // the headers and URL hold credentials: print names only
            return "Forward[method=" + method + ", host=" + uri.getHost() + ", headers=" + headers.keySet() + "]";
        }
    }

    /** A refusal with the status the sidecar answers the agent (400 unresolved, 403 not authorized). */
    public record Refuse(int status, String reason) implements Outcome {
    }

    public static Outcome inject(ResolvedConnection connection, OutgoingRequest request) {
        IntegrationAuth auth = connection.auth();
        String integration = connection.packageId();
        if (!auth.supported()) {
            return new Refuse(400, "Auth type '" + auth.type() + "' of " + integration + " cannot be injected");
        }
        Map<String, String> creds = connection.credentials();

        String url = substitute(request.url(), creds);
        Set<String> unresolved = unresolved(url);
        if (!unresolved.isEmpty()) {
            return new Refuse(400, "Unresolved placeholders in URL: " + braces(unresolved));
        }
        if (AuthorizedUris.canonical(url) == null) {
            return new Refuse(400, "The URL must be an absolute http(s) URL without user info or '..' segments");
        }
        Refuse denied = checkAuthorized(auth, integration, url);
        if (denied != null) {
            return denied;
        }

        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers().entrySet()) {
            if (DROPPED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String v = substitute(h.getValue(), creds);
            Set<String> u = unresolved(v);
            if (!u.isEmpty()) {
                return new Refuse(400, "Unresolved placeholders in header \"" + h.getKey() + "\": " + braces(u));
            }
            headers.put(h.getKey(), v);
        }

        byte[] body = request.body();
        if (request.substituteBody() && body != null) {
            String text = substitute(new String(body, StandardCharsets.UTF_8), creds);
            Set<String> u = unresolved(text);
            if (!u.isEmpty()) {
                return new Refuse(400, "Unresolved placeholders in body: " + braces(u));
            }
            body = text.getBytes(StandardCharsets.UTF_8);
        }

        List<String> injected = new ArrayList<>();
        Header header = header(auth, creds);
        if (header != null) {
            boolean callerSet = headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(header.name()));
            if (!callerSet || !auth.http().allowServerOverride()) {
                // the agent must not replace the credential the integration pins server-side
                headers.keySet().removeIf(k -> k.equalsIgnoreCase(header.name()));
                headers.put(header.name(), header.value());
                injected.add(header.name());
            }
        }
        normalizeAuthScheme(headers);
        return new Forward(request.method(), URI.create(url), headers, body, List.copyOf(injected));
    }

    /** The check the sidecar repeats on every redirect hop before following it with credentials. */
    public static boolean authorizes(IntegrationAuth auth, String url) {
        return checkAuthorized(auth, "", url) == null;
    }

    private static Refuse checkAuthorized(IntegrationAuth auth, String integration, String url) {
        List<String> allowed = auth.authorizedUris();
        if (allowed.isEmpty()) {
            return new Refuse(403, "Integration \"" + integration + "\" declares no authorized_uris for auth '"
                    + auth.key() + "': credentials are sent nowhere");
        }
        if (!AuthorizedUris.matchesAny(allowed, url)) {
            return new Refuse(403, "URL not authorized for integration \"" + integration + "\". Allowed: "
                    + String.join(", ", allowed));
        }
        String host = URI.create(url).getHost();
        if (AuthorizedUris.internalHost(host) && !AuthorizedUris.hostLiterallyAllowed(allowed, url)) {
            return new Refuse(403, "URL not authorized for integration \"" + integration
                    + "\": an internal address is reachable only when authorized_uris names its host literally");
        }
        return null;
    }

    /** A header to inject: name and rendered value. */
    public record Header(String name, String value) {
        @Override
        public String toString() {
            return "Header[" + name + "]";
        }
    }

    /** The header the integration pins for this auth, or null (custom auth without delivery.http). */
    public static Header header(IntegrationAuth auth, Map<String, String> creds) {
        IntegrationAuth.HttpDelivery http = auth.http();
        String name = http != null && http.headerName() != null ? http.headerName() : switch (auth.type()) {
            case "api_key" -> "X-Api-Key";
            case "basic" -> "Authorization";
            default -> null;
        };
        if (name == null) {
            return null;
        }
        String prefix = http != null && http.prefix() != null ? http.prefix()
                : auth.type().equals("basic") ? "Basic " : "";
        String value;
        if (http != null && http.valueTemplate() != null) {
            value = render(http.valueTemplate(), creds);
        } else if (auth.type().equals("basic")) {
            String pair = creds.getOrDefault("username", "") + ":" + creds.getOrDefault("password", "");
            value = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        } else if (auth.type().equals("api_key")) {
            value = creds.getOrDefault("api_key", creds.getOrDefault("apiKey", ""));
        } else {
            value = "";
        }
        if (value.isEmpty()) {
            return null;
        }
        String p = prefix.strip();
        return new Header(name, p.isEmpty() ? value : p + " " + value);
    }

    /** Env vars for integrations that declare {@code delivery.env}; empty otherwise (the default is the proxy). */
    public static Map<String, String> envDelivery(ResolvedConnection connection) {
        Map<String, String> out = new LinkedHashMap<>();
        connection.auth().env().forEach((name, template) -> out.put(name, render(template, connection.credentials())));
        return out;
    }

    /** Replaces {@code {{name}}} with the field's value; unknown names are left in place. */
    public static String substitute(String input, Map<String, String> creds) {
        if (input == null || input.indexOf("{{") < 0) {
            return input;
        }
        Matcher m = VAR.matcher(input);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = creds.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Names of {@code {{placeholders}}} still present. */
    public static Set<String> unresolved(String input) {
        Set<String> out = new LinkedHashSet<>();
        if (input == null) {
            return out;
        }
        Matcher m = VAR.matcher(input);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Renders a delivery template: {@code {$credential.x}} and {@code {{x}}} both read field x; missing → "". */
    static String render(String template, Map<String, String> creds) {
        Matcher m = TEMPLATE_REF.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String field = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement(creds.getOrDefault(field, "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static void normalizeAuthScheme(Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            if (k.equals("authorization")) {
                e.setValue(SCHEME_GLUED.matcher(e.getValue()).replaceFirst("$1 "));
            }
        }
    }

    private static String braces(Set<String> names) {
        return "{{" + String.join("}}, {{", names) + "}}";
    }
}
