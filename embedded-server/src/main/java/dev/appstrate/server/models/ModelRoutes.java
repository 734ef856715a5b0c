package dev.appstrate.server.models;

import dev.appstrate.server.http.ListEnvelope;
import dev.appstrate.server.http.Validation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.models.ModelRegistry;
import dev.appstrate.server.models.ModelRepository;
import dev.appstrate.server.models.ResolvedModel;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.store.Times;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** {@code /api/model-provider-credentials} and {@code /api/models}: keys go in, never come back out. */
public final class ModelRoutes {
    record CredentialBody(String providerId, String apiKey, String baseUrlOverride, String label) {
    }

    record ModelBody(String modelId, String credentialId, String label, Boolean enabled, Boolean isDefault, JsonNode cost,
                     List<String> input, Integer contextWindow, Integer maxTokens, Boolean reasoning, Boolean aliased) {
    }

    record ModelTestBody(String credentialId, String modelId, String apiKey, String existingModelId) {
    }

    /** The capability fields the original stores on a model; a null removes the value. */
    private static final List<String> CAPABILITIES = List.of("input", "contextWindow", "maxTokens", "reasoning");

    /** ModelBody's capabilities again as trees, read apart because a null removes a value while an absent one keeps it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CapabilityPatch(JsonNode input, JsonNode contextWindow, JsonNode maxTokens, JsonNode reasoning) {
        JsonNode get(String field) {
            return field.equals("input") ? input : field.equals("contextWindow") ? contextWindow
                    : field.equals("maxTokens") ? maxTokens : reasoning;
        }
    }

    record DefaultBody(String modelId) {
    }

    private final ModelRepository store;
    private final ModelRegistry registry;
    private final Clock clock;
    /** Built-in models come from the environment: they exist since this server started. */
    private final String startedAt;
    private final ProviderHealth health = new ProviderHealth();

    public ModelRoutes(ModelRepository store, ModelRegistry registry, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.startedAt = Times.iso(clock.instant());
    }

    public void register(Router r) {
        r.get("/api/model-provider-credentials", this::listCredentials).permission("model-provider-credentials:read")
                .doc("Models", "List model provider credentials (keys are never returned)");
        r.post("/api/model-provider-credentials", this::createCredential).orgWide().permission("model-provider-credentials:write")
                .doc("Models", "Add a model provider credential");
        r.put("/api/model-provider-credentials/{id}", this::updateCredential).orgWide().permission("model-provider-credentials:write")
                .doc("Models", "Update a model provider credential (a new apiKey replaces the stored one)");
        r.delete("/api/model-provider-credentials/{id}", this::deleteCredential).orgWide().permission("model-provider-credentials:delete")
                .doc("Models", "Delete a model provider credential and its models");
        r.post("/api/model-provider-credentials/{id}/test", this::testCredential).permission("model-provider-credentials:read")
                .rateLimit(5).doc("Models", "Check that the provider answers with this credential (latency, its model list)");
        r.post("/api/model-provider-credentials/probe", this::probeProvider).permission("model-provider-credentials:write")
                .rateLimit(5).extension("model_probe")
                .doc("Models", "Check a provider before saving it: does it answer, and with which models");
        r.get("/api/models", this::listModels).permission("models:read").doc("Models", "List models available to runs");
        r.post("/api/models", this::createModel).orgWide().permission("models:write").doc("Models", "Register a model on a credential");
        r.post("/api/models/test", this::testModel).permission("models:read").rateLimit(5)
                .doc("Models", "Check that a credential's provider answers, before saving a model on it");
        r.put("/api/models/default", this::setDefault).orgWide().permission("models:write").doc("Models", "Choose the default model");
        r.put("/api/models/{id}", this::updateModel).orgWide().permission("models:write").doc("Models", "Update a model");
        r.delete("/api/models/{id}", this::deleteModel).orgWide().permission("models:delete").doc("Models", "Delete a model");
    }

    private ObjectNode credentialJson(ModelRepository.Credential c) {
        ObjectNode n = Json.object();
        n.put("id", c.id());
        n.put("label", c.label());
        n.put("apiShape", ResolvedModel.apiShapeOf(c.providerId()));
        n.put("baseUrl", c.baseUrl());
        n.put("source", "custom");
        n.put("authMode", "api_key");
        n.put("providerId", c.providerId());
        n.put("has_api_key", c.apiKeyEncrypted() != null);
        n.putNull("oauth_email");
        n.put("needs_reconnection", false);
        n.set("available_model_ids", Json.MAPPER.valueToTree(health.last(c.id())
                .map(h -> h.result().modelIds()).orElse(List.of())));
        n.set("health", healthJson(c.id()));
        n.put("created_by", c.createdBy());
        n.put("createdAt", c.createdAt());
        n.put("updatedAt", c.updatedAt());
        return n;
    }

    private ApiResponse listCredentials(ApiRequest req) {
        return ApiResponse.ok(ListEnvelope.of(store.credentials(req.auth().orgId()).stream().map(this::credentialJson).toList(),
                false, null));
    }

    private ApiResponse createCredential(ApiRequest req) {
        CredentialBody b = req.body(CredentialBody.class);
        Validation v = new Validation().required("providerId", b.providerId()).required("label", b.label())
                .length("label", b.label(), 1, 100);
        v.check(b.providerId() == null || b.providerId().equals("openai-compatible") || b.providerId().equals("anthropic"),
                "providerId", "invalid_value", "Must be openai-compatible or anthropic");
        v.check(b.baseUrlOverride() != null || !"openai-compatible".equals(b.providerId()), "baseUrlOverride", "required",
                "An openai-compatible provider needs its base URL (e.g. http://localhost:11434/v1 for Ollama)");
        checkUrl(v, b.baseUrlOverride());
        v.throwIfAny();
        String now = Times.iso(clock.instant());
        String base = b.baseUrlOverride() != null ? stripSlash(b.baseUrlOverride()) : ResolvedModel.defaultBaseUrl(b.providerId());
        ModelRepository.Credential c = new ModelRepository.Credential(Ids.uuid(), req.auth().orgId(), b.providerId(), b.label(), base,
                store.seal(b.apiKey()), req.auth().userId(), now, now);
        store.saveCredential(c, true);
        return ApiResponse.created(credentialJson(c));
    }

    private ModelRepository.Credential findCredential(ApiRequest req) {
        String id = req.pathParam("id");
        return store.credential(req.auth().orgId(), id)
                .orElseThrow(() -> ApiException.notFound("Model provider credential '" + id + "' not found"));
    }

    private ApiResponse updateCredential(ApiRequest req) {
        ModelRepository.Credential c = findCredential(req);
        CredentialBody b = req.body(CredentialBody.class);
        Validation v = new Validation().length("label", b.label(), 1, 100);
        v.check(b.providerId() == null || b.providerId().equals(c.providerId()), "providerId", "invalid_value",
                "The provider of a credential cannot change");
        checkUrl(v, b.baseUrlOverride());
        v.throwIfAny();
        ModelRepository.Credential u = new ModelRepository.Credential(c.id(), c.orgId(), c.providerId(),
                b.label() == null ? c.label() : b.label(),
                b.baseUrlOverride() == null ? c.baseUrl() : stripSlash(b.baseUrlOverride()),
                b.apiKey() == null ? c.apiKeyEncrypted() : store.seal(b.apiKey()), c.createdBy(), c.createdAt(),
                Times.iso(clock.instant()));
        store.saveCredential(u, false);
        health.forget(u.id());
        return ApiResponse.ok(credentialJson(u));
    }

    private ApiResponse deleteCredential(ApiRequest req) {
        ModelRepository.Credential c = findCredential(req);
        store.deleteCredential(c.orgId(), c.id());
        health.forget(c.id());
        return ApiResponse.noContent();
    }

    private ApiResponse testCredential(ApiRequest req) {
        return ApiResponse.ok(probeJson(check(findCredential(req))));
    }

    private ApiResponse probeProvider(ApiRequest req) {
        CredentialBody b = req.body(CredentialBody.class);
        Validation v = new Validation().required("providerId", b.providerId());
        v.check(b.providerId() == null || b.providerId().equals("openai-compatible") || b.providerId().equals("anthropic"),
                "providerId", "invalid_value", "Must be openai-compatible or anthropic");
        v.check(b.baseUrlOverride() != null || !"openai-compatible".equals(b.providerId()), "baseUrlOverride", "required",
                "An openai-compatible provider needs its base URL (e.g. http://localhost:11434/v1 for Ollama)");
        checkUrl(v, b.baseUrlOverride());
        v.throwIfAny();
        String base = b.baseUrlOverride() != null ? stripSlash(b.baseUrlOverride()) : ResolvedModel.defaultBaseUrl(b.providerId());
        return ApiResponse.ok(probeJson(ProviderProbe.probe(b.providerId(), base, b.apiKey(), null)));
    }

    /** Probes the provider with the stored key and remembers the result for the health column. */
    private ProviderProbe.Result check(ModelRepository.Credential c) {
        ProviderProbe.Result r = ProviderProbe.probe(c.providerId(), c.baseUrl(), store.open(c.apiKeyEncrypted()), null);
        health.record(c.id(), r, clock.instant());
        return r;
    }

    /** The original's TestResult: ok, error (a code) and message when not, latency in ms, the provider's model ids. */
    private static ObjectNode probeJson(ProviderProbe.Result r) {
        ObjectNode n = Json.object();
        n.put("ok", r.ok());
        if (r.status() > 0) {
            n.put("status", r.status());
        }
        if (!r.ok()) {
            n.put("error", r.error());
            n.put("message", r.message());
        }
        n.set("available_model_ids", Json.MAPPER.valueToTree(r.modelIds()));
        n.put("latency", r.latencyMs());
        return n;
    }

    /** {@code {"status":"ok"|"failed"|"untested", "latency_ms", "error", "checked_at"}} from the last test. */
    private ObjectNode healthJson(String credentialId) {
        ObjectNode n = Json.object();
        health.last(credentialId).ifPresentOrElse(h -> {
            n.put("status", h.result().ok() ? "ok" : "failed");
            n.put("latency_ms", h.result().latencyMs());
            if (h.result().message() != null) {
                n.put("error", h.result().message());
            }
            n.put("checked_at", Times.iso(h.at()));
        }, () -> n.put("status", "untested"));
        return n;
    }

    private ApiResponse testModel(ApiRequest req) {
        ModelTestBody b = req.body(ModelTestBody.class);
        new Validation().required("credentialId", b.credentialId()).required("modelId", b.modelId())
                .length("modelId", b.modelId(), 1, 200).throwIfAny();
        ModelRepository.Credential c = store.credential(req.auth().orgId(), b.credentialId())
                .orElseThrow(() -> ApiException.notFound("Model provider credential '" + b.credentialId() + "' not found"));
        if (b.existingModelId() != null) {
            findModel(req, b.existingModelId());
        }
        boolean storedKey = b.apiKey() == null || b.apiKey().isEmpty();
        ProviderProbe.Result r = ProviderProbe.probe(c.providerId(), c.baseUrl(),
                storedKey ? store.open(c.apiKeyEncrypted()) : b.apiKey(), b.modelId());
        if (storedKey && !"model_not_found".equals(r.error())) {
            health.record(c.id(), r, clock.instant());
        }
        return ApiResponse.ok(probeJson(r));
    }

    /** The original's OrgModel; row is null for a built-in model (from SYSTEM_PROVIDER_KEYS). */
    private ObjectNode modelJson(ResolvedModel m, ModelRepository.OrgModel row, boolean isDefault) {
        boolean aliased = row != null && row.aliased();
        ObjectNode caps = row == null ? null : ModelRepository.costNode(row.capabilities());
        ObjectNode n = Json.object();
        n.put("id", m.id());
        n.put("label", m.label());
        n.put("apiShape", aliased ? null : m.apiShape());
        n.put("providerId", aliased ? null : m.providerId());
        n.put("providerName", aliased ? null : "anthropic".equals(m.providerId()) ? "Anthropic"
                : "openai".equals(m.providerId()) ? "OpenAI" : "OpenAI-compatible");
        n.put("baseUrl", aliased ? null : m.baseUrl());
        n.put("modelId", aliased ? null : m.modelId());
        n.set("generation", aliased ? null : generation(caps));
        for (String field : CAPABILITIES) {
            n.set(field, aliased || caps == null || !caps.has(field) ? Json.MAPPER.nullNode() : caps.get(field));
        }
        n.put("enabled", row == null || row.enabled());
        n.put("is_default", isDefault);
        n.put("needs_reconnection", false);
        n.put("aliased", aliased);
        n.putNull("iconUrl");
        n.put("source", row == null ? "built-in" : "custom");
        n.put("credentialId", row == null || aliased ? null : row.credentialId());
        if (row != null && !aliased) {
            n.set("health", healthJson(row.credentialId()));
        }
        n.set("cost", aliased ? null : m.cost());
        n.put("created_by", row == null ? null : row.createdBy());
        n.put("createdAt", row == null ? startedAt : row.createdAt());
        n.put("updatedAt", row == null ? startedAt : row.updatedAt());
        return n;
    }

    /** Support facts without the original's catalog: only what the model's own reasoning flag says is known. */
    private static ObjectNode generation(ObjectNode caps) {
        JsonNode r = caps == null ? null : caps.get("reasoning");
        String reasoning = r == null || !r.isBoolean() ? "unknown" : r.asBoolean() ? "supported" : "unsupported";
        ObjectNode g = Json.object().put("temperature", "unknown");
        g.set("reasoning", Json.object().put("supported", reasoning).putNull("adaptive").set("levels", Json.object()));
        return g;
    }

    /** Capabilities from a request body over the stored ones: a field sent replaces, a null removes. */
    private static String capabilities(CapabilityPatch body, String stored) {
        ObjectNode caps = stored == null ? Json.object() : ModelRepository.costNode(stored);
        if (caps == null) {
            caps = Json.object();
        }
        for (String field : CAPABILITIES) {
            if (body.get(field) != null) {
                if (body.get(field).isNull()) {
                    caps.remove(field);
                } else {
                    caps.set(field, body.get(field));
                }
            }
        }
        return caps.isEmpty() ? null : Json.string(caps);
    }

    private static void checkCapabilities(Validation v, ModelBody b) {
        v.check(b.contextWindow() == null || b.contextWindow() > 0, "contextWindow", "too_small", "Must be a positive number of tokens");
        v.check(b.maxTokens() == null || b.maxTokens() > 0, "maxTokens", "too_small", "Must be a positive number of tokens");
        v.check(b.input() == null || b.input().stream().allMatch(i -> i != null && !i.isBlank()), "input", "invalid_type",
                "Must be a list of input types such as text or image");
    }

    private ApiResponse listModels(ApiRequest req) {
        String orgId = req.auth().orgId();
        List<ObjectNode> out = new ArrayList<>();
        List<ModelRepository.OrgModel> orgModels = store.models(orgId);
        boolean orgDefault = orgModels.stream().anyMatch(ModelRepository.OrgModel::isDefault);
        for (ModelRepository.OrgModel m : orgModels) {
            registry.find(orgId, m.id()).ifPresent(r -> out.add(modelJson(r, m, m.isDefault())));
        }
        for (ResolvedModel s : registry.systemModels()) {
            out.add(modelJson(s, null, !orgDefault && "system-default".equals(s.source())));
        }
        return ApiResponse.ok(ListEnvelope.of(out, false, null));
    }

    private ApiResponse createModel(ApiRequest req) {
        ModelBody b = req.body(ModelBody.class);
        Validation v = new Validation().required("modelId", b.modelId()).required("credentialId", b.credentialId())
                .length("modelId", b.modelId(), 1, 200).length("label", b.label(), 1, 200);
        checkCapabilities(v, b);
        v.throwIfAny();
        String orgId = req.auth().orgId();
        ModelRepository.Credential credential = store.credential(orgId, b.credentialId())
                .orElseThrow(() -> ApiException.validation("credentialId", "invalid_value", "Unknown credential"));
        String now = Times.iso(clock.instant());
        boolean noDefault = store.models(orgId).stream().noneMatch(ModelRepository.OrgModel::isDefault);
        // a model becomes the default on its own only when none is and its provider answered its last test
        boolean isDefault = Boolean.TRUE.equals(b.isDefault()) || noDefault && !Boolean.FALSE.equals(b.isDefault())
                && answers(credential);
        ModelRepository.OrgModel m = new ModelRepository.OrgModel(Ids.uuid(), orgId, b.credentialId(), b.modelId(),
                b.label() == null ? b.modelId() : b.label(), b.enabled() == null || b.enabled(),
                isDefault, b.cost() == null || b.cost().isNull() ? null : Json.string(b.cost()),
                capabilities(req.body(CapabilityPatch.class), null), Boolean.TRUE.equals(b.aliased()), req.auth().userId(), now, now);
        store.saveModel(m, true);
        return ApiResponse.created(modelJson(registry.find(orgId, m.id()).orElseThrow(), m, m.isDefault()));
    }

    /** Whether a provider may become the default on its own: its last test passed (tested now if never). */
    private boolean answers(ModelRepository.Credential c) {
        return health.last(c.id()).map(h -> h.result().ok()).orElseGet(() -> check(c).ok());
    }

    private ModelRepository.OrgModel findModel(ApiRequest req, String id) {
        return store.models(req.auth().orgId()).stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Model '" + id + "' not found"));
    }

    private ApiResponse updateModel(ApiRequest req) {
        ModelRepository.OrgModel m = findModel(req, req.pathParam("id"));
        ModelBody b = req.body(ModelBody.class);
        Validation v = new Validation().length("modelId", b.modelId(), 1, 200).length("label", b.label(), 1, 200);
        checkCapabilities(v, b);
        v.throwIfAny();
        if (b.credentialId() != null && store.credential(m.orgId(), b.credentialId()).isEmpty()) {
            throw ApiException.validation("credentialId", "invalid_value", "Unknown credential");
        }
        ModelRepository.OrgModel u = new ModelRepository.OrgModel(m.id(), m.orgId(), b.credentialId() == null ? m.credentialId() : b.credentialId(),
                b.modelId() == null ? m.modelId() : b.modelId(), b.label() == null ? m.label() : b.label(),
                b.enabled() == null ? m.enabled() : b.enabled(), b.isDefault() == null ? m.isDefault() : b.isDefault(),
                b.cost() == null ? m.cost() : b.cost() == null || b.cost().isNull() ? null : Json.string(b.cost()),
                capabilities(req.body(CapabilityPatch.class), m.capabilities()), b.aliased() == null ? m.aliased() : b.aliased(), m.createdBy(),
                m.createdAt(), Times.iso(clock.instant()));
        store.saveModel(u, false);
        return ApiResponse.ok(modelJson(registry.find(u.orgId(), u.id()).orElseThrow(), u, u.isDefault()));
    }

    private ApiResponse setDefault(ApiRequest req) {
        DefaultBody b = req.body(DefaultBody.class);
        if (b.modelId() == null) {
            throw ApiException.validation("modelId", "required", "Required");
        }
        ModelRepository.OrgModel m = findModel(req, b.modelId()).withDefault(true, Times.iso(clock.instant()));
        store.saveModel(m, false);
        return ApiResponse.ok(modelJson(registry.find(m.orgId(), m.id()).orElseThrow(), m, true));
    }

    private ApiResponse deleteModel(ApiRequest req) {
        ModelRepository.OrgModel m = findModel(req, req.pathParam("id"));
        store.deleteModel(m.orgId(), m.id());
        return ApiResponse.noContent();
    }

    private static void checkUrl(Validation v, String url) {
        if (url == null) {
            return;
        }
        try {
            URI u = URI.create(url);
            v.check(("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null, "baseUrlOverride",
                    "invalid_format", "Must be an http(s) URL");
        } catch (IllegalArgumentException e) {
            v.check(false, "baseUrlOverride", "invalid_format", "Must be an http(s) URL");
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
