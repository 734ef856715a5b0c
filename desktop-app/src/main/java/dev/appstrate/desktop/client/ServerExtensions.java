package dev.appstrate.desktop.client;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The requests the client can send that only our server answers (the original has no such operation), each with the
 * {@link Capability} that must be known before it is sent. {@link AppstrateClient} refuses them on a server without
 * it, so a screen gets "not available on this server" instead of a raw 404; the contract test holds every other
 * request to the original's OpenAPI document.
 */
public final class ServerExtensions {
    /** One of our operations: method, path template as our server documents it, and its capability. */
    public record Extension(String method, String template, Capability capability, Pattern pattern) {
        Extension(String method, String template, Capability capability) {
            this(method, template, capability, Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+")));
        }
    }

    public static final List<Extension> ALL = List.of(
            new Extension("POST", "/api/schedules/preview", Capability.CRON_PREVIEW),
            new Extension("POST", "/api/schedules/{id}/run", Capability.SCHEDULE_RUN_NOW),
            new Extension("GET", "/api/schedules/{id}/fires", Capability.SCHEDULE_FIRES),
            new Extension("GET", "/api/docker", Capability.DOCKER),
            new Extension("GET", "/api/docker/resources", Capability.DOCKER),
            new Extension("POST", "/api/docker/cleanup", Capability.DOCKER),
            new Extension("GET", "/api/secrets/status", Capability.SECRETS_STATUS),
            new Extension("GET", "/api/connections", Capability.CONNECTIONS_LIST),
            new Extension("DELETE", "/api/connections/{connectionId}", Capability.CONNECTIONS_LIST),
            new Extension("POST", "/api/integrations", Capability.LOCAL_INTEGRATIONS),
            new Extension("POST", "/api/model-provider-credentials/probe", Capability.MODEL_PROBE),
            new Extension("POST", "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver", Capability.WEBHOOK_REDELIVERY),
            new Extension("GET", "/api/runs/{id}/transcript", Capability.INLINE_RUNS),
            new Extension("GET", "/api/runs/{id}/transcript/tool-calls/{callId}", Capability.INLINE_RUNS));

    private ServerExtensions() {
    }

    /** The extension a concrete request is, if it is one. */
    public static Optional<Extension> of(String method, String path) {
        return ALL.stream().filter(e -> e.method().equals(method) && e.pattern().matcher(path).matches()).findFirst();
    }
}
