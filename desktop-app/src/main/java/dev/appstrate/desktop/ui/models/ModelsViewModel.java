package dev.appstrate.desktop.ui.models;

import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.ModelsApi.Model;
import dev.appstrate.desktop.client.ModelsApi.Provider;
import dev.appstrate.desktop.client.ModelsApi.TestResult;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Plural;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.Tasks;
import java.net.URI;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Models and their providers: add (probe, pick or type a name), test with latency, edit, delete, choose the default. */
public final class ModelsViewModel {
    public static final String OPENAI = "openai-compatible";
    public static final String ANTHROPIC = "anthropic";

    private final ModelsApi api;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final ObservableList<Model> models = FXCollections.observableArrayList();
    private final ObservableList<Provider> providers = FXCollections.observableArrayList();
    private final ObservableList<String> availableModels = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty detected = new SimpleStringProperty("");
    /** The form: a new provider and model, or the provider / model being edited. */
    final StringProperty provider = new SimpleStringProperty(OPENAI);
    final StringProperty baseUrl = new SimpleStringProperty("");
    final StringProperty apiKey = new SimpleStringProperty("");
    final StringProperty modelId = new SimpleStringProperty("");
    final StringProperty label = new SimpleStringProperty("");
    private final ObjectProperty<Object> editing = new SimpleObjectProperty<>();
    /** The last failure to load the lists: a later successful load clears it, and only it. */
    private String loadError;

    public ModelsViewModel(ModelsApi api, TaskExecutor tasks, Notifier notifier) {
        this.api = api;
        this.tasks = tasks;
        this.notifier = notifier;
    }

    public ObservableList<Model> models() {
        return models;
    }

    public ObservableList<Provider> providers() {
        return providers;
    }

    /** The models the provider in the form says it has (after List models); typing another stays possible. */
    public ObservableList<String> availableModels() {
        return availableModels;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty detectedProperty() {
        return detected;
    }

    public StringProperty providerProperty() {
        return provider;
    }

    public StringProperty baseUrlProperty() {
        return baseUrl;
    }

    public StringProperty apiKeyProperty() {
        return apiKey;
    }

    public StringProperty modelIdProperty() {
        return modelId;
    }

    public StringProperty labelProperty() {
        return label;
    }

    /** The provider or model the form edits, or null when it adds a new one. */
    public ObjectProperty<Object> editingProperty() {
        return editing;
    }

    BooleanBinding editingProvider() {
        return Bindings.createBooleanBinding(() -> editing.get() instanceof Provider, editing);
    }

    BooleanBinding editingModel() {
        return Bindings.createBooleanBinding(() -> editing.get() instanceof Model, editing);
    }

    public void refresh() {
        Tasks.create(api::models)
                .onSuccess(list -> {
                    models.setAll(list);
                    if (message.get().equals(loadError)) {
                        message.set("");
                    }
                })
                .onError(e -> {
                    loadError = Notifier.describeLoad("Models", e);
                    message.set(loadError);
                })
                .on(tasks);
        Tasks.create(api::providers).onSuccess(providers::setAll).onError(e -> providers.clear()).on(tasks);
    }

    private String missing() {
        boolean openAi = OPENAI.equals(provider.get());
        if (openAi && baseUrl.get().isBlank()) {
            return "Fill in the base URL.";
        }
        return null;
    }

    /** Asks the provider in the form for its model list (through the server, which holds no key yet). */
    public void listModels() {
        String problem = missing();
        if (problem != null) {
            message.set(problem);
            return;
        }
        String p = provider.get();
        String url = baseUrl.get();
        String key = apiKey.get();
        Tasks.create(() -> api.probe(p, url, key))
                .onSuccess(r -> {
                    if (!r.ok()) {
                        message.set(r.error());
                        return;
                    }
                    availableModels.setAll(r.modelIds());
                    message.set("");
                    if (modelId.get().isBlank() && !r.modelIds().isEmpty()) {
                        modelId.set(r.modelIds().get(0));
                    }
                    notifier.info("The provider answered in " + r.latencyMs() + " ms with " + Plural.of(r.modelIds().size(), "model") + ".");
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    /** Adds, or saves the edit of, what the form holds. */
    public void submit() {
        Object e = editing.get();
        if (e instanceof Provider p) {
            saveProvider(p);
        } else if (e instanceof Model m) {
            saveModel(m);
        } else {
            add();
        }
    }

    /** Creates the provider credential, tests it, then adds the model on it (the server picks the default). */
    public void add() {
        String p = provider.get();
        String url = baseUrl.get();
        String key = apiKey.get();
        String model = modelId.get() == null ? "" : modelId.get().trim();
        String name = label.get();
        String problem = missing();
        if (problem != null || model.isEmpty() || key.isBlank()) {
            message.set("Fill in " + (OPENAI.equals(p) ? "the base URL, " : "") + "the API key and the model.");
            return;
        }
        Tasks.create(() -> {
                    String credLabel = name == null || name.isBlank() ? (ANTHROPIC.equals(p) ? "Anthropic" : hostOf(url)) : name;
                    Provider cred = api.createProvider(p, credLabel, key, OPENAI.equals(p) ? url : null);
                    TestResult test = api.test(cred.id());
                    Model created = api.createModel(cred.id(), model, name);
                    if (test.ok()) {
                        return "Added " + created.label() + ": the provider answered in " + test.latencyMs() + " ms"
                                + (created.isDefault() ? " (now the default model)." : ".");
                    }
                    return "Added " + created.label() + ", but the provider test failed: " + test.error()
                            + ". It was not made the default; edit the provider, then test it again.";
                })
                .onSuccess(text -> {
                    clearForm();
                    if (text.contains("test failed")) {
                        message.set(text);
                    } else {
                        message.set("");
                        notifier.info(text);
                    }
                    refresh();
                })
                .onError(ex -> message.set(Notifier.describe(ex)))
                .on(tasks);
    }

    public void editProvider(Provider p) {
        editing.set(p);
        provider.set(p.providerId());
        baseUrl.set(p.baseUrl());
        apiKey.set("");
        label.set(p.label());
        modelId.set("");
        availableModels.setAll(p.modelIds());
        message.set("");
    }

    public void editModel(Model m) {
        editing.set(m);
        provider.set(m.providerId());
        baseUrl.set(m.baseUrl());
        apiKey.set("");
        modelId.set(m.modelId());
        label.set(m.label());
        availableModels.setAll(providers.stream().filter(p -> p.id().equals(m.credentialId())).findFirst()
                .map(Provider::modelIds).orElse(java.util.List.of()));
        message.set("");
    }

    public void cancelEdit() {
        clearForm();
        message.set("");
    }

    private void saveProvider(Provider p) {
        String url = baseUrl.get();
        String key = apiKey.get();
        String name = label.get();
        Tasks.create(() -> {
                    api.updateProvider(p.id(), name, key, url);
                    return api.test(p.id());
                })
                .onSuccess(r -> {
                    clearForm();
                    report(name == null || name.isBlank() ? p.label() : name, r);
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    private void saveModel(Model m) {
        String model = modelId.get() == null ? "" : modelId.get().trim();
        String name = label.get();
        if (model.isEmpty()) {
            message.set("Fill in the model.");
            return;
        }
        Tasks.create(() -> api.updateModel(m.id(), model, name))
                .onSuccess(u -> {
                    clearForm();
                    message.set("");
                    notifier.info("Saved " + u.label() + ".");
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    /** Tests the provider behind the model: the server asks it for its model list, and the health column follows. */
    public void testModel(Model m) {
        if (m.fromEnvironment()) {
            notifier.info(m.label() + " comes from the server's environment (SYSTEM_PROVIDER_KEYS): test it there.");
            return;
        }
        Tasks.create(() -> api.test(m.credentialId()))
                .onSuccess(r -> {
                    report(m.label(), r);
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    public void testProvider(Provider p) {
        Tasks.create(() -> api.test(p.id()))
                .onSuccess(r -> {
                    report(p.label(), r);
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    /** A test's result, in the notice; an earlier failure at the page's top is no longer left beside it. */
    private void report(String what, TestResult r) {
        message.set("");
        if (r.ok()) {
            notifier.info(what + ": the provider answered in " + r.latencyMs() + " ms.");
        } else {
            notifier.error(what + ": " + r.error());
        }
    }

    public void setDefault(Model m) {
        Tasks.create(() -> api.setDefault(m.id()))
                .onSuccess(x -> {
                    message.set("");
                    notifier.info(m.label() + " is now the default model.");
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    public void deleteModel(Model m) {
        Tasks.run(() -> api.deleteModel(m.id()))
                .onSuccess(x -> {
                    message.set("");
                    notifier.info("Deleted " + m.label() + ".");
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    /** Deletes the provider and every model on it. */
    public void deleteProvider(Provider p) {
        Tasks.run(() -> api.deleteProvider(p.id()))
                .onSuccess(x -> {
                    if (editing.get() instanceof Provider e && e.id().equals(p.id())) {
                        clearForm();
                    }
                    message.set("");
                    notifier.info("Deleted " + p.label() + " and its models.");
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    /** How many models sit on a provider (the delete confirmation names them). */
    public long modelsOn(Provider p) {
        return models.stream().filter(m -> p.id().equals(m.credentialId())).count();
    }

    /** Looks for Ollama / LM Studio on loopback and fills the form when one answers. */
    public void detect() {
        detected.set("Looking…");
        Tasks.create(LocalModelServers::probe)
                .onSuccess(found -> {
                    if (found.isEmpty()) {
                        detected.set("No local server on the usual ports (Ollama 11434, LM Studio 1234).");
                        return;
                    }
                    LocalModelServers.Found f = found.get();
                    editing.set(null);
                    provider.set(OPENAI);
                    baseUrl.set(f.baseUrl());
                    if (apiKey.get().isBlank()) {
                        apiKey.set("local");
                    }
                    availableModels.setAll(f.models());
                    if (!f.models().isEmpty() && modelId.get().isBlank()) {
                        modelId.set(f.models().get(0));
                    }
                    label.set(f.name() + (f.models().isEmpty() ? "" : " " + f.models().get(0)));
                    detected.set("Found " + f.name() + " at " + f.baseUrl() + " (" + Plural.of(f.models().size(), "model") + ")");
                })
                .on(tasks);
    }

    private void clearForm() {
        editing.set(null);
        baseUrl.set("");
        apiKey.set("");
        modelId.set("");
        label.set("");
        availableModels.clear();
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url.trim()).getHost();
            return host == null ? "Provider" : host;
        } catch (RuntimeException e) {
            return "Provider";
        }
    }
}
