package dev.appstrate.server.runs;

import dev.appstrate.server.tenancy.ApiKeyService;
import dev.appstrate.server.tenancy.Tenancy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Display names the original denormalizes onto a run (api_key_name, end_user_name, schedule_name), read at answer time
 * from the features that own them.
 */
public final class RunNames {
    /** The names of one run; null where the run has no such origin or it was deleted. */
    public record Names(String userName, String endUserName, String apiKeyName, String scheduleName) {
        public static final Names NONE = new Names(null, null, null, null);
    }

    private final Tenancy tenancy;
    private final ApiKeyService apiKeys;
    private final Function<String, Optional<String>> scheduleNames;

    /** {@code scheduleNames} comes from the schedule feature, which depends on runs (not the other way round). */
    public RunNames(Tenancy tenancy, ApiKeyService apiKeys, Function<String, Optional<String>> scheduleNames) {
        this.tenancy = tenancy;
        this.apiKeys = apiKeys;
        this.scheduleNames = scheduleNames;
    }

    public Names of(RunRecord r) {
        if (r.origin().endUserId() == null && r.origin().apiKeyId() == null && r.origin().scheduleId() == null) {
            return Names.NONE;
        }
        return new Names(null,
                r.origin().endUserId() == null ? null : tenancy.endUserNames(r.origin().endUserId())
                        .map(n -> n.name() != null ? n.name() : n.externalId() != null ? n.externalId() : n.email()).orElse(null),
                r.origin().apiKeyId() == null ? null : apiKeys.name(r.origin().apiKeyId()).orElse(null),
                r.origin().scheduleId() == null ? null : scheduleNames.apply(r.origin().scheduleId()).orElse(null));
    }

    /** For one list: runs sharing a key, end-user and schedule cost one lookup between them, not one each. */
    public Function<RunRecord, Names> memo() {
        Map<RunRecord.Origin, Names> seen = new HashMap<>();
        return r -> seen.computeIfAbsent(r.origin(), k -> of(r));
    }
}
