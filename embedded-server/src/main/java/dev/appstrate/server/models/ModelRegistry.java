package dev.appstrate.server.models;

import dev.appstrate.server.http.ApiException;
import java.util.List;
import java.util.Optional;

/** Which model a run uses: the requested one, else the org default, else a system default (SYSTEM_PROVIDER_KEYS). */
public final class ModelRegistry {
    private final ModelRepository store;
    private final List<ResolvedModel> system;

    public ModelRegistry(ModelRepository store, List<ResolvedModel> system) {
        this.store = store;
        this.system = List.copyOf(system);
    }

    public List<ResolvedModel> systemModels() {
        return system;
    }

    /** Resolves or throws 400 model_not_configured (no run record is made), as the original. */
    public ResolvedModel resolve(String orgId, String requested) {
        if (requested != null) {
            return find(orgId, requested).orElseThrow(() -> ApiException.notFound("model_not_found",
                    "Model '" + requested + "' not found"));
        }
        List<ModelRepository.OrgModel> models = store.models(orgId).stream().filter(ModelRepository.OrgModel::enabled).toList();
        Optional<ModelRepository.OrgModel> pick = models.stream().filter(ModelRepository.OrgModel::isDefault).findFirst()
                .or(() -> models.stream().findFirst());
        if (pick.isPresent()) {
            return toResolved(orgId, pick.get());
        }
        return system.stream().filter(m -> "system-default".equals(m.source())).findFirst()
                .or(() -> system.stream().findFirst())
                .orElseThrow(() -> new ApiException(400, "model_not_configured", "Bad Request",
                        "No LLM model configured for this organization"));
    }

    public Optional<ResolvedModel> find(String orgId, String id) {
        Optional<ResolvedModel> sys = system.stream().filter(m -> m.id().equals(id)).findFirst();
        if (sys.isPresent()) {
            return sys;
        }
        return store.models(orgId).stream().filter(m -> m.id().equals(id)).findFirst().map(m -> toResolved(orgId, m));
    }

    private ResolvedModel toResolved(String orgId, ModelRepository.OrgModel m) {
        ModelRepository.Credential c = store.credential(orgId, m.credentialId()).orElseThrow(() -> new ApiException(400,
                "model_credential_missing", "Bad Request", "The credential of model '" + m.label() + "' no longer exists"));
        return new ResolvedModel(m.id(), m.label(), c.providerId(), ResolvedModel.apiShapeOf(c.providerId()), m.modelId(),
                c.baseUrl(), store.open(c.apiKeyEncrypted()), ModelRepository.costNode(m.cost()), "org");
    }
}
