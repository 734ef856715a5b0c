package dev.appstrate.desktop.ui.models;

import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.ModelsApi.Model;
import dev.appstrate.desktop.client.ModelsApi.Provider;
import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * Models: the models runs may use and the providers behind them (OpenAI-compatible — OpenAI, Ollama, LM Studio —
 * or Anthropic), each with a health column; add, test, edit, delete, and pick the default. The View only binds.
 */
public final class ModelsPage implements Page {
    private final ModelsViewModel vm;
    private final dev.appstrate.desktop.ui.KeptSelection<Model> models;
    private final dev.appstrate.desktop.ui.KeptSelection<Provider> providers;
    private final TableView<Model> modelTable;
    private final TableView<Provider> providerTable;
    final ComboBox<String> provider = new ComboBox<>(FXCollections.observableArrayList(ModelsViewModel.OPENAI,
            ModelsViewModel.ANTHROPIC));
    final TextField baseUrl = new TextField();
    final PasswordField apiKey = new PasswordField();
    final ComboBox<String> modelId;
    final TextField label = new TextField();
    private VBox view;
    private final dev.appstrate.desktop.ui.PermissionGuard guard;
    private final dev.appstrate.desktop.client.AppstrateClient client;

    public ModelsPage(DesktopContext ctx) {
        this.client = ctx.client();
        this.vm = new ModelsViewModel(new ModelsApi(ctx.client()), ctx.tasks(), ctx.notifier());
        this.guard = new dev.appstrate.desktop.ui.PermissionGuard(ctx.client());
        this.models = dev.appstrate.desktop.ui.KeptSelection.table(vm.models(), Model::id);
        this.providers = dev.appstrate.desktop.ui.KeptSelection.table(vm.providers(), Provider::id);
        this.modelTable = models.table();
        this.providerTable = providers.table();
        this.modelId = new ComboBox<>(vm.availableModels());
    }

    @Override
    public String title() {
        return "Models";
    }

    public ModelsViewModel viewModel() {
        return vm;
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> vm.refresh());
        view = Widgets.page("Models", refresh);
        view.getStyleClass().add("scrollable-page");
        Label msg = Widgets.message(vm.messageProperty(), "models-message");
        TitledPane form = formPane();
        // providers (and so new models) are added by an org owner on a server whose keys cannot hold this permission
        Label cannotAdd = guard.require("model-provider-credentials:write",
                "providers and their models are added by an owner of the organization", "models-add-denied", form);
        vm.messageProperty().addListener((o, was, now) -> {
            guard.update();
            emptyModels();
        });
        view.getChildren().addAll(msg, modelsSection(), providersSection(), form, cannotAdd);
        return view;
    }

    /** An API key cannot add providers (the original never grants it): the empty list does not tell it to. */
    private void emptyModels() {
        ((Label) modelTable.getPlaceholder()).setText(client.capabilities().allows("model-provider-credentials:write")
                ? "No model yet: add a provider below."
                : "No model yet: an owner of the organization adds providers and their models.");
    }

    private VBox modelsSection() {
        modelTable.setId("models-table");
        modelTable.setPlaceholder(new Label());
        emptyModels();
        modelTable.getColumns().setAll(List.of(
                Columns.text("Default", (Model m) -> m.isDefault() ? "★" : "", 70),
                Columns.text("Label", Model::label, 180),
                Columns.text("Model", Model::modelId, 180),
                Columns.text("Provider", (Model m) -> m.fromEnvironment() ? m.providerId() + " (environment)" : m.providerId(), 170),
                Columns.textWithTooltip("Health", (Model m) -> ModelHealth.healthText(m), 260),
                Columns.text("Base URL", Model::baseUrl, 240)));
        modelTable.setPrefHeight(200);
        modelTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        var selected = models.selectedItem();
        var ownSelected = Bindings.createBooleanBinding(() -> selected.get() == null || selected.get().fromEnvironment(), selected);
        Button makeDefault = button("Set as default", "models-default", () -> vm.setDefault(selected.get()));
        makeDefault.disableProperty().bind(selected.isNull());
        Button test = button("Test model", "models-test", () -> vm.testModel(selected.get()));
        test.disableProperty().bind(ownSelected);
        Button edit = button("Edit", "models-edit", () -> vm.editModel(selected.get()));
        edit.disableProperty().bind(ownSelected);
        Button delete = button("Delete…", "models-delete", () -> {
            Model m = selected.get();
            if (confirm("Delete model " + dev.appstrate.desktop.ui.Confirm.quoted(m.label()) + "?", "Runs that name it will fail until another model is chosen.")) {
                vm.deleteModel(m);
            }
        });
        delete.disableProperty().bind(ownSelected);
        dev.appstrate.desktop.ui.OpenSelected.on(modelTable, vm::editModel, m -> !m.fromEnvironment());
        // on our server an application's key changes the org-wide models only with org:write, which a key made in the app
        // never holds (a key on the original lists no scopes, so nothing is hidden there)
        Label orgOnly = guard.require("org:write", "models are shared by every application; an owner, or a key created "
                + "with org:write, changes them", "models-org-denied", makeDefault, edit, delete);
        return new VBox(8, Widgets.sectionTitle("Models"), modelTable, new HBox(8, makeDefault, test, edit, delete, orgOnly));
    }

    private VBox providersSection() {
        providerTable.setId("models-providers");
        providerTable.setPlaceholder(guard.placeholder("model-provider-credentials:read", "No provider yet.", "providers-placeholder"));
        providerTable.getColumns().setAll(List.of(
                Columns.text("Label", Provider::label, 180),
                Columns.text("Provider", Provider::providerId, 150),
                Columns.text("Base URL", Provider::baseUrl, 260),
                Columns.textWithTooltip("Health", (Provider p) -> ModelHealth.healthText(p.health()), 300)));
        providerTable.setPrefHeight(140);
        providerTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        var selected = providers.selectedItem();
        Button test = button("Test", "providers-test", () -> vm.testProvider(selected.get()));
        Button edit = button("Edit", "providers-edit", () -> vm.editProvider(selected.get()));
        Button delete = button("Delete…", "providers-delete", () -> {
            Provider p = selected.get();
            long n = vm.modelsOn(p);
            if (confirm("Delete provider " + dev.appstrate.desktop.ui.Confirm.quoted(p.label()) + "?", n == 0 ? "No model uses it."
                    : "Its " + dev.appstrate.desktop.ui.Plural.of(n, "model") + " will be deleted too.")) {
                vm.deleteProvider(p);
            }
        });
        for (Button b : List.of(test, edit, delete)) {
            b.disableProperty().bind(selected.isNull());
        }
        dev.appstrate.desktop.ui.OpenSelected.on(providerTable, vm::editProvider);
        guard.require("model-provider-credentials:write", "providers-denied", test, edit, delete);
        return new VBox(8, Widgets.sectionTitle("Providers"), providerTable, new HBox(8, test, edit, delete));
    }

    private TitledPane formPane() {
        provider.setId("models-provider");
        provider.valueProperty().bindBidirectional(vm.providerProperty());
        provider.disableProperty().bind(vm.editingProperty().isNotNull());
        baseUrl.setId("models-base-url");
        baseUrl.textProperty().bindBidirectional(vm.baseUrlProperty());
        baseUrl.setPromptText("https://api.openai.com/v1 · http://127.0.0.1:11434/v1 (Ollama)");
        baseUrl.disableProperty().bind(provider.valueProperty().isNotEqualTo(ModelsViewModel.OPENAI).or(vm.editingModel()));
        apiKey.setId("models-api-key");
        apiKey.textProperty().bindBidirectional(vm.apiKeyProperty());
        apiKey.promptTextProperty().bind(Bindings.when(vm.editingProvider())
                .then("leave empty to keep the stored key").otherwise("API key (any text for a local server)"));
        apiKey.disableProperty().bind(vm.editingModel());
        modelId.setId("models-model-id");
        modelId.setEditable(true);
        modelId.setMaxWidth(Double.MAX_VALUE);
        modelId.getEditor().textProperty().bindBidirectional(vm.modelIdProperty());
        modelId.setPromptText("e.g. gpt-4o-mini · llama3.2 · claude-sonnet-4-5");
        modelId.disableProperty().bind(vm.editingProvider());
        label.setId("models-label");
        label.textProperty().bindBidirectional(vm.labelProperty());
        label.setPromptText("optional display name");
        Button list = button("List models", "models-list", vm::listModels);
        list.disableProperty().bind(vm.editingModel());
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        g.addRow(0, new Label("Provider"), provider);
        g.addRow(1, new Label("Base URL"), baseUrl);
        g.addRow(2, new Label("API key"), apiKey);
        g.addRow(3, new Label("Model"), modelId, list);
        g.addRow(4, new Label("Label"), label);
        // on a narrow window the fields give way: labels and the button keep their words
        g.getChildren().stream().filter(n -> n instanceof Label || n == list)
                .forEach(n -> ((javafx.scene.layout.Region) n).setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE));
        baseUrl.setPrefColumnCount(40);
        Button submit = button("Add and test", "models-add", vm::submit);
        submit.textProperty().bind(Bindings.when(vm.editingProperty().isNull()).then("Add and test")
                .otherwise(Bindings.when(vm.editingProvider()).then("Save and test").otherwise("Save")));
        Button cancel = button("Cancel", "models-cancel-edit", vm::cancelEdit);
        cancel.visibleProperty().bind(vm.editingProperty().isNotNull());
        cancel.managedProperty().bind(cancel.visibleProperty());
        Button detect = button("Find a local server", "models-detect", vm::detect);
        detect.visibleProperty().bind(vm.editingProperty().isNull());
        detect.managedProperty().bind(detect.visibleProperty());
        Label found = new Label();
        found.textProperty().bind(vm.detectedProperty());
        found.setId("models-detected");
        found.getStyleClass().add("muted");
        found.setWrapText(true);
        VBox box = new VBox(10, g, new HBox(8, submit, cancel, detect, found));
        // Enter in any field of the form submits it, Escape leaves an edit: while the focus is in the form (as the
        // default button of a dialog), so Enter on a table still opens its row
        submit.defaultButtonProperty().bind(box.focusWithinProperty());
        cancel.cancelButtonProperty().bind(box.focusWithinProperty().and(cancel.visibleProperty()));
        TitledPane p = new TitledPane();
        p.setContent(box);
        p.textProperty().bind(Bindings.createStringBinding(() -> {
            Object e = vm.editingProperty().get();
            return e instanceof Provider pr ? "Edit provider " + pr.label()
                    : e instanceof Model m ? "Edit model " + m.label() : "Add a model provider";
        }, vm.editingProperty()));
        vm.editingProperty().addListener((o, was, now) -> p.setExpanded(true));
        p.setId("models-add-pane");
        return p;
    }

    private static Button button(String text, String id, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    private boolean confirm(String question, String detail) {
        return dev.appstrate.desktop.ui.Confirm.asked(view.getScene() == null ? null : view.getScene().getWindow(),
                question, detail, "Delete");
    }

    /** Reloads models and providers (tests and the Refresh button). */
    public void refresh() {
        vm.refresh();
    }

    /** Adds what the form holds (tests). */
    public void addProvider() {
        vm.submit();
    }

    @Override
    public void onShow() {
        guard.update();
        vm.refresh();
    }
}
