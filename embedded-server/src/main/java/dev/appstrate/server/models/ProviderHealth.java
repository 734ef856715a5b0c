package dev.appstrate.server.models;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The last probe of each provider credential, so lists can show a health column and a failing provider is never auto-default. */
public final class ProviderHealth {
    /** One probe's result and when it ran. */
    public record Check(ProviderProbe.Result result, Instant at) {
    }

    private final Map<String, Check> last = new ConcurrentHashMap<>();

    public void record(String credentialId, ProviderProbe.Result result, Instant at) {
        last.put(credentialId, new Check(result, at));
    }

    public Optional<Check> last(String credentialId) {
        return Optional.ofNullable(credentialId == null ? null : last.get(credentialId));
    }

    public void forget(String credentialId) {
        last.remove(credentialId);
    }
}
