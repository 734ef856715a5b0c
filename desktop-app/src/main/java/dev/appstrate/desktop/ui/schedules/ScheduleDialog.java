package dev.appstrate.desktop.ui.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.AgentsApi;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Tasks;
import dev.appstrate.desktop.ui.agents.InputForm;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import dev.appstrate.desktop.ui.DialogFit;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.SearchableComboBox;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/**
 * Create or edit a schedule: agent, name, cron expression with its description and next five fire times in
 * the chosen zone as you type (an invalid expression is decorated inline with the server's reason), the
 * agent's input form, enabled. Saving keeps the dialog open on error, showing the problem's detail.
 */
public final class ScheduleDialog {
    public static final ButtonType SAVE = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);

    private final SchedulesApi api;
    private final AgentsApi agents;
    private final SchedulesApi.Schedule existing;
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final CronPreview preview;
    private final ValidationSupport validation = new ValidationSupport();
    final ComboBox<String> agent = new ComboBox<>();
    final TextField name = new TextField();
    final TextField cron = new TextField();
    final SearchableComboBox<String> zone = new SearchableComboBox<>();
    final CheckBox enabled = new CheckBox("Enabled");
    private final VBox inputHolder = new VBox();
    private final Label inputTitle = new Label("Input");
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanProperty inputValid = new SimpleBooleanProperty(true);
    private final BooleanProperty saving = new SimpleBooleanProperty(false);
    private InputForm form;
    /** How many input forms were asked for (FX thread); an answer for an earlier one is dropped. */
    private int formLoads;
    private Consumer<SchedulesApi.Schedule> onSaved = s -> { };

    /** @param existing the schedule to edit, or null to create one */
    public ScheduleDialog(Window owner, AppstrateClient client, SchedulesApi api, SchedulesApi.Schedule existing) {
        this.agents = new AgentsApi(client);
        this.api = api;
        this.existing = existing;
        this.preview = new CronPreview(api);
        DialogFit.apply(dialog, owner);
        dialog.setTitle(existing == null ? "New schedule" : "Edit schedule");
        dialog.setHeaderText(existing == null ? "Run an agent on a schedule"
                : "Edit " + (existing.name().isEmpty() ? existing.id() : existing.name()));
        dialog.getDialogPane().setId("schedule-dialog");
        dialog.getDialogPane().getButtonTypes().setAll(SAVE, ButtonType.CANCEL);
        dialog.getDialogPane().setContent(DialogFit.scrolling(content(), owner)); // an agent's long form scrolls inside
        dialog.setResizable(true);
        Button save = (Button) dialog.getDialogPane().lookupButton(SAVE);
        save.setId("schedule-save");
        save.disableProperty().bind(Bindings.createBooleanBinding(() -> !canSave(),
                preview.pending, preview.description, preview.cronError, preview.zoneError, agent.valueProperty(), inputValid, saving));
        save.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume(); // the dialog closes only once the server accepted
            save();
        });
        fillFrom(existing);
        // the first field to fill gets the focus, not Cancel
        dialog.setOnShown(e -> javafx.application.Platform.runLater(() -> (existing == null ? agent : cron).requestFocus()));
    }

    private boolean canSave() {
        return preview.valid() && agent.getValue() != null && inputValid.get() && !saving.get();
    }

    private GridPane content() {
        agent.setId("schedule-agent");
        agent.setPromptText("Choose an agent");
        agent.setPrefWidth(360);
        agent.valueProperty().addListener((obs, o, id) -> loadInputForm(id, null));
        name.setId("schedule-name");
        name.setPromptText("e.g. Morning digest");
        cron.setId("schedule-cron");
        cron.setPromptText("e.g. 0 9 * * 1-5");
        cron.setPrefColumnCount(24);
        cron.getStyleClass().add("mono");
        cron.textProperty().bindBidirectional(preview.expression);
        zone.setId("schedule-timezone");
        List<String> zones = new ArrayList<>(ZoneId.getAvailableZoneIds());
        zones.sort(String::compareTo);
        zone.setItems(FXCollections.observableArrayList(zones));
        zone.setPrefWidth(360);
        zone.valueProperty().addListener((obs, o, z) -> preview.timezone.set(z == null ? "UTC" : z));
        enabled.setId("schedule-enabled");
        enabled.setSelected(true);

        Label description = new Label();
        description.setId("schedule-cron-description");
        description.textProperty().bind(preview.description);
        description.setStyle("-fx-font-weight: bold;");
        description.setWrapText(true);
        description.managedProperty().bind(preview.description.isNotEmpty());
        Label cronError = new Label();
        cronError.setId("schedule-cron-error");
        cronError.textProperty().bind(Bindings.concat(preview.cronError, preview.zoneError));
        cronError.getStyleClass().add("message-error");
        cronError.setWrapText(true);
        cronError.setMaxWidth(420);
        cronError.managedProperty().bind(cronError.textProperty().isNotEmpty());
        Label nextTitle = new Label();
        nextTitle.textProperty().bind(Bindings.createStringBinding(
                () -> "Next " + CronPreview.COUNT + " runs (" + preview.timezone.get() + ")", preview.timezone));
        nextTitle.getStyleClass().add("muted");
        ListView<String> next = new ListView<>(preview.nextRuns);
        next.setId("schedule-next-runs");
        next.setPrefHeight(5 * 24 + 4);
        next.setFocusTraversable(false);
        next.setPlaceholder(new Label("—"));

        validation.registerValidator(cron, false, (Control c, String v) ->
                ValidationResult.fromErrorIf(c, preview.cronError.get(), !preview.cronError.get().isEmpty()));
        validation.registerValidator(zone, false, (Control c, String v) ->
                ValidationResult.fromErrorIf(c, preview.zoneError.get(), !preview.zoneError.get().isEmpty()));
        preview.onResult(validation::revalidate);

        Label err = new Label();
        err.setId("schedule-error");
        err.textProperty().bind(error);
        err.getStyleClass().add("message-error");
        err.setWrapText(true);
        err.setMaxWidth(480);

        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(8);
        int row = 0;
        g.addRow(row++, new Label("Agent"), agent);
        g.addRow(row++, new Label("Name"), name);
        Label cronHint = new Label("minute  hour  day-of-month  month  weekday, or @hourly, @daily, @weekly");
        cronHint.getStyleClass().add("muted");
        cronHint.setWrapText(true);
        cronHint.setMaxWidth(420);
        g.addRow(row++, new Label("Cron"), cron);
        g.add(cronHint, 1, row++);
        g.add(cronError, 1, row++);
        g.addRow(row++, new Label("Time zone"), zone);
        g.add(description, 1, row++);
        g.add(nextTitle, 1, row++);
        g.add(next, 1, row++);
        g.add(enabled, 1, row++);
        // "Input" titles the agent's input fields; an agent without any shows no lone label
        inputTitle.visibleProperty().bind(Bindings.isNotEmpty(inputHolder.getChildren()));
        inputTitle.managedProperty().bind(inputTitle.visibleProperty());
        inputHolder.managedProperty().bind(inputTitle.visibleProperty());
        GridPane.setValignment(inputTitle, javafx.geometry.VPos.TOP); // beside the first input field, not half-way down a long form
        g.add(inputTitle, 0, row);
        g.add(inputHolder, 1, row++);
        g.add(err, 0, row, 2, 1);
        g.setPrefWidth(560);
        // a wrapping label gets a fixed width to wrap at: GridPane sizes rows by prefHeight(-1), one line otherwise
        for (Label l : List.of(description, cronError, cronHint)) {
            l.setPrefWidth(420);
            l.setMinHeight(Label.USE_PREF_SIZE);
        }
        // a label is never cut to "Time…"
        g.getChildren().stream().filter(n -> n instanceof Label && Integer.valueOf(0).equals(GridPane.getColumnIndex(n)))
                .forEach(n -> ((Label) n).setMinWidth(Label.USE_PREF_SIZE));
        return g;
    }

    private void fillFrom(SchedulesApi.Schedule s) {
        if (s == null) {
            zone.setValue(ZoneId.systemDefault().getId());
            loadAgents();
            return;
        }
        String pkg = s.packageId();
        agent.getItems().setAll(pkg);
        agent.setDisable(true); // a schedule stays with its agent
        name.setText(s.name());
        zone.setValue(s.timezone().isEmpty() ? "UTC" : s.timezone());
        cron.setText(s.cronExpression());
        enabled.setSelected(s.enabled());
        agent.setValue(pkg);
        loadInputForm(pkg, s.input());
    }

    private void loadAgents() {
        Tasks.create(agents::list)
                .onSuccess(data -> {
                    List<String> ids = data.stream().map(AgentsApi.Agent::id).toList();
                    agent.getItems().setAll(ids);
                    if (ids.isEmpty()) {
                        error.set(SchedulesViewModel.NO_INSTALLED_AGENT);
                    }
                })
                .onError(e -> error.set(Notifier.describe(e)))
                .start();
    }

    private void loadInputForm(String packageId, JsonNode values) {
        // only the last load may show its form: editing loads twice (choosing the agent, then with the schedule's
        // input), and the first, empty answer arriving last wiped the input the schedule was saved with
        int load = ++formLoads;
        inputHolder.getChildren().clear();
        form = null;
        inputValid.unbind(); // the previous agent's form was bound here
        inputValid.set(packageId == null);
        if (packageId == null) {
            return;
        }
        Tasks.create(() -> agents.detail(packageId))
                .onSuccess(d -> {
                    if (load != formLoads || !packageId.equals(agent.getValue())) {
                        return;
                    }
                    form = new InputForm(d.inputSpec());
                    form.fill(values);
                    boolean hasFields = !((javafx.scene.layout.Pane) form.view()).getChildren().isEmpty();
                    inputHolder.getChildren().setAll(hasFields ? List.of(form.view()) : List.of());
                    inputValid.bind(Bindings.createBooleanBinding(form::valid, form.validation().invalidProperty()));
                    if (dialog.isShowing()) { // resized where it is: re-centring moved the Agent list from under the pointer
                        DialogFit.refit((javafx.stage.Stage) dialog.getDialogPane().getScene().getWindow());
                    }
                })
                .onError(e -> error.set(Notifier.describe(e)))
                .start();
    }

    private void save() {
        if (!canSave()) {
            return;
        }
        SchedulesApi.Changes body = new SchedulesApi.Changes(name.getText(), cron.getText(), zone.getValue(), enabled.isSelected(),
                form == null ? DesktopJson.object() : form.values());
        String pkg = agent.getValue();
        saving.set(true);
        error.set("");
        Tasks.create(() -> existing == null ? api.create(pkg, body) : api.update(existing.id(), body))
                .onSuccess(s -> {
                    dialog.close();
                    onSaved.accept(s);
                })
                .onError(e -> error.set(Notifier.describe(e)))
                .andFinally(() -> saving.set(false))
                .start();
    }

    /** The input form of the chosen agent, null until it is loaded (tests read it). */
    public InputForm form() {
        return form;
    }

    /** The inputs' holder in the dialog (tests check the form is shown). */
    public VBox inputHolder() {
        return inputHolder;
    }

    public CronPreview preview() {
        return preview;
    }

    public ValidationSupport validation() {
        return validation;
    }

    /** Shows the dialog without blocking; {@code saved} gets the stored schedule. */
    public void show(Consumer<SchedulesApi.Schedule> saved) {
        this.onSaved = saved;
        dialog.show();
    }
}
