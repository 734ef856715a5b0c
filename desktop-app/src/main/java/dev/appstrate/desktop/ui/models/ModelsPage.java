package dev.appstrate.desktop.ui.models;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.Widgets;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Models: add a provider (OpenAI-compatible base URL — OpenAI, Ollama, LM Studio — or Anthropic) with its key,
 * add a model on it, test, and pick the default. Offers a local server it finds on its usual port.
 */
public final class ModelsPage implements Page {
    private final DesktopContext ctx;
    private final ObservableList<JsonNode> models = FXCollections.observableArrayList();
    private final ObservableList<JsonNode> credentials = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty detected = new SimpleStringProperty("");
    private final TableView<JsonNode> modelTable = new TableView<>(models);
    final ComboBox<String> provider = new ComboBox<>(FXCollections.observableArrayList("openai-compatible", "anthropic"));
    final TextField baseUrl = new TextField();
    final PasswordField apiKey = new PasswordField();
    final TextField modelId = new TextField();
    final TextField label = new TextField();
    private VBox view;

    public ModelsPage(DesktopContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String title() {
        return "Models";
    }

    public ObservableList<JsonNode> models() {
        return models;
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> refresh());
        view = Widgets.page("Models", refresh);
        Label msg = Widgets.message(message, "models-message");
        modelTable.setId("models-table");
        modelTable.setPlaceholder(new Label("No model yet: add a provider below."));
        modelTable.getColumns().setAll(List.of(
                col("Default", m -> m.path("is_default").asBoolean() ? "★" : "", 70),
                col("Label", m -> DesktopJson.text(m, "label"), 200),
                col("Model", m -> DesktopJson.text(m, "modelId"), 200),
                col("Provider", m -> DesktopJson.text(m, "providerName").isEmpty() ? DesktopJson.text(m, "providerId")
                        : DesktopJson.text(m, "providerName"), 160),
                col("Base URL", m -> DesktopJson.text(m, "baseUrl"), 260)));
        modelTable.setPrefHeight(220);
        Button makeDefault = new Button("Set as default");
        makeDefault.setId("models-default");
        makeDefault.disableProperty().bind(modelTable.getSelectionModel().selectedItemProperty().isNull());
        makeDefault.setOnAction(e -> setDefault(modelTable.getSelectionModel().getSelectedItem()));
        Button test = new Button("Test model");
        test.setId("models-test");
        test.disableProperty().bind(modelTable.getSelectionModel().selectedItemProperty().isNull());
        test.setOnAction(e -> testModel(modelTable.getSelectionModel().getSelectedItem()));
        view.getChildren().addAll(msg, modelTable, new HBox(8, makeDefault, test), addProviderPane());
        return view;
    }

    private TitledPane addProviderPane() {
        provider.setId("models-provider");
        provider.setValue("openai-compatible");
        baseUrl.setId("models-base-url");
        baseUrl.setPromptText("https://api.openai.com/v1 · http://127.0.0.1:11434/v1 (Ollama) · http://127.0.0.1:1234/v1 (LM Studio)");
        baseUrl.disableProperty().bind(provider.valueProperty().isNotEqualTo("openai-compatible"));
        apiKey.setId("models-api-key");
        apiKey.setPromptText("API key (any text for a local server)");
        modelId.setId("models-model-id");
        modelId.setPromptText("gpt-4o-mini · llama3.2 · claude-sonnet-4-5");
        label.setId("models-label");
        label.setPromptText("optional display name");
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.addRow(0, new Label("Provider"), provider);
        g.addRow(1, new Label("Base URL"), baseUrl);
        g.addRow(2, new Label("API key"), apiKey);
        g.addRow(3, new Label("Model"), modelId);
        g.addRow(4, new Label("Label"), label);
        baseUrl.setPrefColumnCount(40);
        Button add = new Button("Add and test");
        add.setId("models-add");
        add.setDefaultButton(false);
        add.setOnAction(e -> addProvider());
        Button detect = new Button("Find a local server");
        detect.setId("models-detect");
        detect.setOnAction(e -> detect());
        Label found = new Label();
        found.textProperty().bind(detected);
        found.setId("models-detected");
        found.getStyleClass().add("muted");
        VBox box = new VBox(10, g, new HBox(8, add, detect, found));
        TitledPane p = new TitledPane("Add a model provider", box);
        p.setId("models-add-pane");
        return p;
    }

    private static TableColumn<JsonNode, String> col(String name, java.util.function.Function<JsonNode, String> f, double w) {
        TableColumn<JsonNode, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    public void refresh() {
        Tasks.create(() -> ctx.client().models().path("data"))
                .onSuccess(data -> {
                    List<JsonNode> out = new ArrayList<>();
                    data.forEach(out::add);
                    models.setAll(out);
                    message.set("");
                })
                .onError(e -> message.set(e instanceof ApiProblem p && p.notAvailable()
                        ? "Models are not available on this server yet." : Notifier.describe(e)))
                .start();
        Tasks.create(() -> ctx.client().modelCredentials().path("data"))
                .onSuccess(data -> {
                    List<JsonNode> out = new ArrayList<>();
                    data.forEach(out::add);
                    credentials.setAll(out);
                })
                .onError(e -> credentials.clear())
                .start();
    }

    /** Creates the provider credential, tests it, then adds the model on it. */
    public void addProvider() {
        String p = provider.getValue();
        String url = baseUrl.getText();
        String key = apiKey.getText();
        String model = modelId.getText().trim();
        String name = label.getText();
        if (model.isEmpty() || key.isBlank() || ("openai-compatible".equals(p) && url.isBlank())) {
            message.set("Fill in " + ("openai-compatible".equals(p) ? "the base URL, " : "") + "the API key and the model.");
            return;
        }
        Tasks.create(() -> {
                    String credLabel = name == null || name.isBlank() ? ("anthropic".equals(p) ? "Anthropic" : hostOf(url)) : name;
                    JsonNode cred = ctx.client().createModelCredential(p, credLabel, key, "openai-compatible".equals(p) ? url : null);
                    String credId = DesktopJson.text(cred, "id");
                    JsonNode test = ctx.client().testModelCredential(credId);
                    JsonNode created = ctx.client().createModel(credId, model, name);
                    return test.path("ok").asBoolean(test.path("success").asBoolean(true))
                            ? "Added " + DesktopJson.text(created, "label") + " — the provider answered."
                            : "Added, but the provider test failed: " + DesktopJson.text(test, "error") + DesktopJson.text(test, "message");
                })
                .onSuccess(text -> {
                    ctx.notifier().info(text);
                    apiKey.clear();
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    private void setDefault(JsonNode m) {
        Tasks.create(() -> ctx.client().setDefaultModel(DesktopJson.text(m, "id")))
                .onSuccess(x -> {
                    ctx.notifier().info(DesktopJson.text(m, "label") + " is now the default model");
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    private static String hostOf(String url) {
        try {
            return java.net.URI.create(url.trim()).getHost();
        } catch (RuntimeException e) {
            return "Provider";
        }
    }

    /** Tests the provider credential behind the model: the server asks it for its model list. */
    private void testModel(JsonNode m) {
        Tasks.create(() -> ctx.client().testModelCredential(DesktopJson.text(m, "credentialId")))
                .onSuccess(r -> ctx.notifier().info(r.path("ok").asBoolean()
                        ? DesktopJson.text(m, "label") + ": the provider answered in " + r.path("latency").asLong() + " ms"
                        : DesktopJson.text(m, "label") + ": " + DesktopJson.text(r, r.has("message") ? "message" : "error")))
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
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
                    provider.setValue("openai-compatible");
                    baseUrl.setText(f.baseUrl());
                    if (apiKey.getText().isBlank()) {
                        apiKey.setText("local");
                    }
                    if (!f.models().isEmpty() && modelId.getText().isBlank()) {
                        modelId.setText(f.models().get(0));
                    }
                    label.setText(f.name() + (f.models().isEmpty() ? "" : " " + f.models().get(0)));
                    detected.set("Found " + f.name() + " at " + f.baseUrl() + " (" + f.models().size() + " models)");
                })
                .start();
    }

    @Override
    public void onShow() {
        refresh();
    }
}
