package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The checks made once when the app connects, in order: the server is reachable, it is Appstrate ({@code /health}'s
 * shape), the credential is valid (an authenticated call: {@code /health} is public on the original), and what the
 * server and the credential can do. Our server answers {@code GET /api/capabilities} with its extensions and the
 * credential's scopes; the original has no such route, offers none of our extensions, and a key on it cannot list
 * its own scopes, so what it lacks is learned from refusals (see {@link AppstrateClient}).
 */
public final class ServerConnect {
    /** What the checks found, shown once (the dashboard's connection line). */
    public record Result(Health health, ServerCapabilities capabilities, String summary) {
    }

    private ServerConnect() {
    }

    /** Runs the checks and stores what they learned in {@code c}; throws {@link ConnectProblem} when one fails. */
    public static Result connect(AppstrateClient c) {
        String url = c.endpoint().baseUrl();
        Health health;
        try {
            health = c.health();
        } catch (ApiProblem p) {
            if (p.status() == 0) {
                throw new ConnectProblem(ConnectProblem.Kind.UNREACHABLE, "The server could not be reached", p.detail(),
                        "Check the address and that the server is running, or use the embedded server.", p);
            }
            throw notAppstrate(url, "GET /health answered " + p.status() + ".", p);
        }
        if (!looksLikeAppstrate(health.raw())) {
            throw notAppstrate(url, "GET /health did not answer as an Appstrate server does.", null);
        }
        ServerCapabilities caps = ours(c);
        if (caps == null) {
            caps = original(c);
        }
        c.capabilities(caps);
        return new Result(health, caps, summary(c, caps));
    }

    /**
     * The application to work in: {@code wanted} when the server lists it, else its default one, else the first; for an
     * API key its own (the original lists only it to a key), or null. Throws {@link ApiProblem} when the list cannot be read.
     */
    public static String chooseApplication(AppstrateClient c, String wanted) {
        JsonNode apps = c.applications().path("data");
        if (c.endpoint().apiKey()) {
            return apps.size() == 1 ? apps.get(0).path("id").asText(null) : null;
        }
        String first = null;
        String byDefault = null;
        for (JsonNode a : apps) {
            String id = a.path("id").asText();
            if (id.equals(wanted)) {
                return id;
            }
            first = first == null ? id : first;
            byDefault = a.path("isDefault").asBoolean(false) ? id : byDefault;
        }
        return byDefault != null ? byDefault : first;
    }

    /** Our server's own report, or null on a server without {@code /api/capabilities} (the original). */
    private static ServerCapabilities ours(AppstrateClient c) {
        JsonNode info;
        try {
            info = c.get("/api/capabilities", Map.of());
        } catch (ApiProblem p) {
            if (p.invalidCredential()) {
                throw invalidKey(c, p);
            }
            return null;
        }
        if (!"appstrate-desktop".equals(info.path("server").asText())) {
            return null;
        }
        Set<Capability> supported = EnumSet.noneOf(Capability.class);
        for (Capability cap : Capability.values()) {
            for (JsonNode e : info.path("extensions")) {
                if (e.asText().equals(cap.wireName())) {
                    supported.add(cap);
                }
            }
        }
        Set<String> scopes = new HashSet<>();
        info.path("credential").path("scopes").forEach(s -> scopes.add(s.asText()));
        boolean key = "api_key".equals(info.path("credential").path("kind").asText());
        Set<String> denied = new HashSet<>();
        if (key) {
            ServerCapabilities.NEVER_FOR_API_KEYS.stream().filter(s -> !scopes.contains(s)).forEach(denied::add);
        }
        return new ServerCapabilities(true, supported, scopes, denied, info.path("database").asText(""));
    }

    /** The original: none of our extensions; the key checked by a call every key may make ({@code GET /api/agents}). */
    private static ServerCapabilities original(AppstrateClient c) {
        ServerCapabilities caps = new ServerCapabilities(false, Set.of(), Set.of(),
                c.endpoint().apiKey() ? ServerCapabilities.NEVER_FOR_API_KEYS : Set.of(), "");
        c.capabilities(caps);
        try {
            c.agents();
        } catch (ApiProblem p) {
            if (p.invalidCredential()) {
                throw invalidKey(c, p);
            }
            // a 403 here is a valid key without that permission: remembered by the client, not a connect failure
        }
        return c.capabilities();
    }

    private static String summary(AppstrateClient c, ServerCapabilities caps) {
        StringBuilder s = new StringBuilder(caps.ours() ? "Appstrate Desktop server" : "Appstrate server (not Appstrate Desktop)");
        s.append(c.endpoint().embedded() ? " · owner credential" : c.endpoint().apiKey() ? " · API key valid" : " · credential valid");
        if (!caps.ours()) {
            s.append(" · desktop extensions (cron preview, Docker, secrets status…) not available");
        }
        return s.toString();
    }

    static boolean looksLikeAppstrate(JsonNode health) {
        return health != null && health.path("status").isTextual()
                && (health.path("checks").isObject() || health.path("version").isObject());
    }

    private static ConnectProblem notAppstrate(String url, String why, Throwable cause) {
        return new ConnectProblem(ConnectProblem.Kind.NOT_APPSTRATE, "This is not an Appstrate server",
                "The server at " + url + " answered, but not as Appstrate: " + why,
                "Check the address (the server's root URL, without /api).", cause);
    }

    private static ConnectProblem invalidKey(AppstrateClient c, ApiProblem p) {
        boolean none = c.endpoint().token().isEmpty();
        return new ConnectProblem(ConnectProblem.Kind.INVALID_KEY, none ? "No API key" : "Invalid or expired API key",
                none ? "The server at " + c.endpoint().baseUrl() + " needs an API key."
                        : "The server at " + c.endpoint().baseUrl() + " refused the API key (" + p.status() + " "
                        + (p.serverDetail().isBlank() ? "Invalid or expired API key" : p.serverDetail()) + ").",
                "Enter a valid API key (ask_…) for this server, made in its API keys page.", p);
    }
}
