package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.tenancy.EndUserNames;
import dev.appstrate.server.tenancy.Tenancy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Integration connections: credentials entered once, sealed at rest, shown afterwards only as metadata
 * and masked hints. A connection belongs to one application and to a member (user) or an end-user.
 */
public final class Connections {
    static final int MAX_VALUE_CHARS = 16_384;

    /** Who acts: a member of the org (userId) or an end-user of the application (endUserId). */
    public record Owner(String userId, String endUserId) {
        public static Owner user(String userId) {
            return new Owner(userId, null);
        }

        public static Owner endUser(String endUserId) {
            return new Owner(null, endUserId);
        }

        public boolean isEndUser() {
            return endUserId != null;
        }
    }

    /** A connection's metadata: everything but the credentials. */
    public record Info(String id, String orgId, String applicationId, String packageId, String authKey, String accountId,
                       String userId, String endUserId, String ownerName, Map<String, String> credentialHints,
                       String label, boolean sharedWithOrg, String createdAt, String updatedAt) {
    }

    private final ConnectionRepository repo;
    private final Clock clock;
    private final SecretStore secrets;
    private final IntegrationRepository catalog;
    private final Tenancy tenancy;

    public Connections(ConnectionRepository repo, Clock clock, SecretStore secrets, IntegrationRepository catalog,
                       Tenancy tenancy) {
        this.repo = repo;
        this.clock = clock;
        this.secrets = secrets;
        this.catalog = catalog;
        this.tenancy = tenancy;
    }

    /** Result of a connect: the connection and whether it was created (false = its value was replaced). */
    public record Stored(Info info, boolean created) {
    }

    /**
     * Stores credentials for an integration auth: a new connection, or — with {@code connectionId} — the
     * same connection with its value replaced. Bad input is a 4xx and changes nothing.
     */
    public Stored connect(String orgId, String applicationId, Owner owner, String packageId, String authKey,
                          JsonNode credentials, String connectionId, String label) {
        IntegrationDefinition def = catalog.find(orgId, packageId)
                .orElseThrow(() -> ApiException.notFound("integration_not_found", "Integration " + packageId + " not found"))
                .definition();
        IntegrationAuth auth = def.auth(authKey);
        if (auth == null) {
            throw ApiException.notFound("auth_not_found", "Integration " + packageId + " declares no auth '" + authKey
                    + "' (declared: " + String.join(", ", def.auths().keySet()) + ")");
        }
        if (!auth.supported()) {
            throw ApiException.invalidRequest("Auth '" + authKey + "' of " + packageId + " is of type '" + auth.type()
                    + "', which Appstrate Desktop cannot connect yet (supported: api_key, basic, custom)", "authKey")
                    .codeOverride("auth_method_not_supported");
        }
        if (label != null && label.length() > 80) {
            throw ApiException.validation("label", "too_big", "At most 80 characters");
        }
        Map<String, String> values = validate(auth, credentials);
        Map<String, String> hints = new LinkedHashMap<>();
        values.forEach((k, v) -> hints.put(k, mask(v)));
        if (auth.type().equals("basic")) {
            secrets.redactor().addBasicPair(values.get("username"), values.get("password"));
        }
        Map<String, Object> plaintext = new LinkedHashMap<>();
        plaintext.put("v", 2);
        plaintext.put("outputs", values);
        String sealed = secrets.sealJson(plaintext);
        String now = clock.instant().toString();
        if (connectionId != null) {
            Info existing = repo.find(connectionId).filter(i -> visible(i, applicationId, owner)
                    && i.packageId().equals(packageId) && i.authKey().equals(authKey)).orElseThrow(() ->
                    ApiException.notFound("connection_not_found", "Connection " + connectionId + " not found for "
                            + packageId + " auth '" + authKey + "'").param("connection_id"));
            if (!repo.replaceCredentials(existing.id(), sealed, hints, label, now)) {
                throw ApiException.notFound("connection_not_found", "Connection " + connectionId + " not found")
                        .param("connection_id");
            }
            return new Stored(get(existing.id()).orElseThrow(), false);
        }
        String fresh = UUID.randomUUID().toString();
        // an opaque account id: deriving it from the credentials would leak them
        repo.insert(new Info(fresh, orgId, applicationId, packageId, authKey, authKey + ":" + fresh.substring(0, 8),
                owner.userId(), owner.endUserId(), null, hints, label, false, now, now), sealed);
        return new Stored(get(fresh).orElseThrow(), true);
    }

    private static Map<String, String> validate(IntegrationAuth auth, JsonNode credentials) {
        if (credentials == null || !credentials.isObject() || credentials.isEmpty()) {
            throw ApiException.validation("credentials", "required", "A non-empty object of credential fields");
        }
        List<ApiException.FieldError> errors = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        boolean closed = !auth.fields().isEmpty();
        for (Iterator<Map.Entry<String, JsonNode>> it = credentials.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "credentials." + e.getKey();
            if (closed && auth.field(e.getKey()) == null) {
                errors.add(new ApiException.FieldError(field, "unknown_field", "Unknown credential field '" + e.getKey()
                        + "' (expected: " + String.join(", ", auth.fields().stream().map(IntegrationAuth.CredentialField::name).toList()) + ")"));
            } else if (!e.getValue().isTextual()) {
                errors.add(new ApiException.FieldError(field, "invalid_type", "Expected a string"));
            } else if (e.getValue().asText().isEmpty()) {
                errors.add(new ApiException.FieldError(field, "too_small", "Must not be empty"));
            } else if (e.getValue().asText().length() > MAX_VALUE_CHARS) {
                errors.add(new ApiException.FieldError(field, "too_big", "At most " + MAX_VALUE_CHARS + " characters"));
            } else {
                values.put(e.getKey(), e.getValue().asText());
            }
        }
        for (IntegrationAuth.CredentialField f : auth.fields()) {
            if (f.required() && !credentials.has(f.name())) {
                errors.add(new ApiException.FieldError("credentials." + f.name(), "required", "Required"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return values;
    }

    /** Last four characters behind a mask, only for values long enough that four characters reveal little. */
    static String mask(String value) {
        return value.length() >= 12 ? "••••" + value.substring(value.length() - 4) : "••••";
    }

    public Optional<Info> get(String id) {
        return repo.find(id).map(i -> withOwnerNames(List.of(i)).get(0));
    }

    /** A connection the owner may see in this application, else empty. */
    public Optional<Info> visible(String applicationId, Owner owner, String id) {
        return get(id).filter(i -> visible(i, applicationId, owner));
    }

    /** Members see the application's member connections; an end-user sees only their own. */
    static boolean visible(Info i, String applicationId, Owner owner) {
        if (!i.applicationId().equals(applicationId)) {
            return false;
        }
        return owner.isEndUser() ? owner.endUserId().equals(i.endUserId()) : i.userId() != null;
    }

    /** Connections in an application visible to the owner, optionally for one integration, newest first. */
    public List<Info> list(String applicationId, Owner owner, String packageId) {
        return withOwnerNames(repo.list(applicationId, owner, packageId));
    }

    /** Every connection of an organization (or of one application of it), for {@code /api/me/connections}. */
    public List<Info> listInOrg(String orgId, String applicationIdOrNull, Owner owner) {
        return withOwnerNames(repo.listInOrg(orgId, applicationIdOrNull, owner));
    }

    public Info update(String id, String label, boolean clearLabel, Boolean shared) {
        repo.update(id, label, clearLabel, shared, clock.instant().toString());
        return get(id).orElseThrow();
    }

    public boolean delete(String id) {
        return repo.delete(id);
    }

    /** Opens a connection's credentials for a run (the sidecar); never for an API response. */
    public ResolvedConnection open(String connectionId) {
        ConnectionRepository.Sealed row = repo.sealed(connectionId).orElseThrow(() ->
                new IllegalArgumentException("connection " + connectionId + " does not exist"));
        IntegrationDefinition def = catalog.find(row.orgId(), row.packageId())
                .orElseThrow(() -> new IllegalStateException("integration " + row.packageId() + " is gone"))
                .definition();
        IntegrationAuth auth = def.auth(row.authKey());
        if (auth == null) {
            throw new IllegalStateException("integration " + row.packageId() + " no longer declares auth '" + row.authKey() + "'");
        }
        JsonNode outputs = secrets.openJson(row.sealed()).path("outputs");
        Map<String, String> creds = new LinkedHashMap<>();
        outputs.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                creds.put(e.getKey(), e.getValue().asText());
            }
        });
        if (auth.type().equals("basic")) {
            secrets.redactor().addBasicPair(creds.get("username"), creds.get("password"));
        }
        return new ResolvedConnection(connectionId, row.packageId(), auth, creds);
    }

    /** End-users are shown by name, else by their external id. */
    private List<Info> withOwnerNames(List<Info> infos) {
        Map<String, EndUserNames> names = tenancy.endUserNames(infos.stream().map(Info::endUserId).toList());
        return infos.stream().map(i -> {
            EndUserNames n = i.endUserId() == null ? null : names.get(i.endUserId());
            String ownerName = n == null ? null : n.name() != null ? n.name() : n.externalId();
            return new Info(i.id(), i.orgId(), i.applicationId(), i.packageId(), i.authKey(), i.accountId(), i.userId(),
                    i.endUserId(), ownerName, i.credentialHints(), i.label(), i.sharedWithOrg(), i.createdAt(), i.updatedAt());
        }).toList();
    }
}
