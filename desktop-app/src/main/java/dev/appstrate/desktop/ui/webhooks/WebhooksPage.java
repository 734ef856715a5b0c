package dev.appstrate.desktop.ui.webhooks;

import dev.appstrate.desktop.client.WebhooksApi;
import dev.appstrate.desktop.ui.ClipboardGuard;
import dev.appstrate.desktop.ui.Columns;
import dev.appstrate.desktop.ui.DesktopContext;
import dev.appstrate.desktop.ui.KeptSelection;
import dev.appstrate.desktop.ui.Page;
import dev.appstrate.desktop.ui.Widgets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * Webhooks: add a receiver URL and its events (the signing secret is shown once, with copy), send a signed
 * test, rotate the secret, and follow each webhook's deliveries (status, attempts, response code) with redeliver.
 */
public final class WebhooksPage implements Page {
    private final DesktopContext ctx;
    private final WebhooksViewModel vm;
    private final KeptSelection<WebhookRow> kept;
    private final TableView<WebhookRow> table;
    /** Deliveries are polled: the one selected for Redeliver stays selected. */
    private final KeptSelection<DeliveryRow> keptDelivery;
    private final TableView<DeliveryRow> deliveries;
    private final ClipboardGuard clipboard = new ClipboardGuard();
    private final Map<String, CheckBox> eventBoxes = new LinkedHashMap<>();
    /** Deliveries are retried in the background: the list follows them while the page is shown. */
    private final Timeline poll;
    final TextField url = new TextField();
    private VBox view;

    public WebhooksPage(DesktopContext ctx) {
        this.ctx = ctx;
        this.vm = new WebhooksViewModel(new WebhooksApi(ctx.client()));
        this.kept = KeptSelection.table(vm.webhooks, WebhookRow::id);
        this.table = kept.table();
        this.keptDelivery = KeptSelection.table(vm.deliveries, DeliveryRow::id);
        this.deliveries = keptDelivery.table();
        this.poll = new Timeline(new KeyFrame(Duration.seconds(5), e -> vm.reloadDeliveries()));
        poll.setCycleCount(Animation.INDEFINITE);
    }

    @Override
    public String title() {
        return "Webhooks";
    }

    public WebhooksViewModel viewModel() {
        return vm;
    }

    @Override
    public Node view() {
        if (view != null) {
            return view;
        }
        Button refresh = new Button("Refresh");
        refresh.setOnAction(e -> {
            vm.refresh();
            vm.reloadDeliveries();
        });
        view = Widgets.page("Webhooks", refresh);
        view.getChildren().addAll(messageRow(), createPane(), secretBox(), webhooksAndDeliveries());
        return view;
    }

    private Node messageRow() {
        Label msg = Widgets.message(vm.message, "webhooks-message");
        // plain http to this computer needs the host allowed in the server settings
        Hyperlink allow = new Hyperlink("Open Settings to allow it");
        allow.setId("webhooks-open-settings");
        allow.visibleProperty().bind(Bindings.createBooleanBinding(
                () -> vm.message.get().contains("EGRESS_ALLOW_INTERNAL_HOSTS"), vm.message));
        allow.managedProperty().bind(allow.visibleProperty());
        // on the field itself: it is the last of the page, below the fold at the default window size
        allow.setOnAction(e -> ctx.navigator().openSetting("EGRESS_ALLOW_INTERNAL_HOSTS"));
        VBox box = new VBox(2, msg, allow);
        box.managedProperty().bind(vm.message.isNotEmpty());
        return box;
    }

    private TitledPane createPane() {
        url.setId("webhooks-url");
        url.setPromptText("https://example.com/hooks/appstrate");
        HBox.setHgrow(url, Priority.ALWAYS);
        FlowPane events = new FlowPane(14, 6);
        for (String ev : WebhooksApi.EVENTS) {
            CheckBox cb = new CheckBox(ev);
            cb.setMnemonicParsing(false); // run.connection_missing keeps its underscore
            cb.setId("webhooks-event-" + ev.replace('.', '-').replace('_', '-'));
            cb.setSelected(!ev.equals("run.started") && !ev.equals("run.connection_missing"));
            eventBoxes.put(ev, cb);
            events.getChildren().add(cb);
        }
        Button create = new Button("Add webhook");
        create.setId("webhooks-create");
        create.setOnAction(e -> create());
        url.setOnAction(e -> create());
        VBox box = new VBox(8, new HBox(8, new Label("URL"), url, create), events);
        ((HBox) box.getChildren().get(0)).setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        TitledPane pane = new TitledPane("Add a webhook", box);
        pane.setId("webhooks-add-pane");
        return pane;
    }

    private Node secretBox() {
        TextField shown = new TextField();
        shown.setId("webhooks-secret");
        shown.setEditable(false);
        shown.getStyleClass().add("mono");
        shown.textProperty().bind(vm.secretOnce);
        HBox.setHgrow(shown, Priority.ALWAYS);
        Button copy = new Button("Copy");
        copy.setId("webhooks-secret-copy");
        copy.setOnAction(e -> {
            clipboard.copy(vm.secretOnce.get());
            ctx.notifier().info("Secret copied; the clipboard is cleared in 30 s if it still holds it");
        });
        Button done = new Button("I stored it");
        done.setId("webhooks-secret-done");
        done.setOnAction(e -> vm.dismissSecret());
        Label title = new Label();
        title.textProperty().bind(Bindings.concat("Signing secret for ", vm.secretFor,
                " — shown this once: store it where your receiver verifies signatures"));
        title.setWrapText(true);
        title.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // on a short window the tables give way, not this
        VBox box = new VBox(6, title, new HBox(8, shown, copy, done));
        box.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        box.getStyleClass().add("once-box");
        box.setId("webhooks-secret-box");
        box.visibleProperty().bind(vm.secretOnce.isNotEmpty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    private Node webhooksAndDeliveries() {
        table.setId("webhooks-table");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY); // at 1280 wide "Secret rotation" was cut at the edge
        table.setPlaceholder(Widgets.emptyState(vm.empty, "webhooks-empty")); // the one empty state: no second one above the table
        table.getColumns().setAll(List.of(
                Columns.chip("Status", WebhookRow::status, 80),
                Columns.text("URL", WebhookRow::url, 280),
                Columns.text("Events", WebhookRow::eventList, 260),
                Columns.text("Created", WebhookRow::created, 150),
                Columns.text("Secret rotation", WebhookRow::rotation, 240)));
        kept.selectedItem().addListener((obs, o, w) -> {
            if (w == null || o == null || !w.id().equals(o.id())) {
                vm.loadDeliveries(w == null ? null : w.id());
            }
        });
        // a webhook has no edit form: opening one goes to its deliveries (loaded on selection)
        dev.appstrate.desktop.ui.OpenSelected.on(table, w -> {
            deliveries.requestFocus();
            if (keptDelivery.getSelectedItem() == null && !deliveries.getItems().isEmpty()) {
                keptDelivery.select(deliveries.getItems().get(0).id()); // the newest, kept across the 5 s poll like any other pick
            }
        });
        BooleanBinding none = kept.selectedItem().isNull();
        Button test = new Button("Send test");
        test.setId("webhooks-test");
        test.disableProperty().bind(none);
        test.setOnAction(e -> vm.test(selected(), ctx.notifier()::info, ctx.notifier()::error));
        Button toggle = new Button();
        toggle.setId("webhooks-toggle");
        toggle.textProperty().bind(Bindings.createStringBinding(() -> selected() != null && !selected().enabled() ? "Enable" : "Disable",
                kept.selectedItem()));
        toggle.disableProperty().bind(none);
        toggle.setOnAction(e -> vm.setEnabled(selected(), !selected().enabled()));
        Button rotate = new Button("Rotate secret…");
        rotate.setId("webhooks-rotate");
        rotate.disableProperty().bind(none);
        rotate.setOnAction(e -> confirm("Rotate the signing secret of " + selected().url() + "?",
                "A new secret is shown once. Both sign deliveries for 7 days, so the receiver can switch without missing any.",
                "Rotate secret", () -> vm.rotate(selected())));
        Button delete = new Button("Delete…");
        delete.setId("webhooks-delete");
        delete.disableProperty().bind(none);
        delete.setOnAction(e -> confirm("Delete the webhook " + selected().url() + "?",
                "Its delivery history goes with it.", "Delete", () -> vm.delete(selected())));
        HBox actions = new HBox(8, test, toggle, rotate, Widgets.grow(), delete);
        actions.getStyleClass().add("toolbar-row");
        VBox top = new VBox(8, table, actions);
        VBox.setVgrow(table, Priority.ALWAYS);

        deliveries.setId("webhooks-deliveries");
        deliveries.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        Label deliveriesNone = new Label();
        deliveriesNone.setId("webhooks-deliveries-placeholder");
        deliveriesNone.textProperty().bind(Bindings.when(none)
                .then("Select a webhook to see its deliveries").otherwise("No deliveries yet: Send test sends one"));
        deliveries.setPlaceholder(deliveriesNone);
        deliveries.getColumns().setAll(List.of(
                Columns.chip("Status", DeliveryRow::status, 80),
                Columns.text("Event", DeliveryRow::eventType, 130),
                Columns.text("Attempts", DeliveryRow::attempts, 75),
                Columns.text("Response", DeliveryRow::statusCode, 75),
                Columns.text("Latency", DeliveryRow::latency, 75),
                Columns.text("Next attempt", DeliveryRow::nextAttempt, 150),
                Columns.text("Error", DeliveryRow::error, 260),
                Columns.text("Created", DeliveryRow::created, 150)));
        Button redeliver = new Button("Redeliver");
        redeliver.setId("webhooks-redeliver");
        redeliver.disableProperty().bind(keptDelivery.selectedItem().isNull());
        redeliver.setOnAction(e -> vm.redeliver(keptDelivery.getSelectedItem(), ctx.notifier()::info));
        redeliver.setVisible(vm.canRedeliver());
        redeliver.setManaged(redeliver.isVisible());
        HBox dActions = new HBox(8, Widgets.sectionTitle("Deliveries"), Widgets.grow(), redeliver);
        dActions.getStyleClass().add("toolbar-row");
        VBox bottom = new VBox(8, dActions, deliveries);
        VBox.setVgrow(deliveries, Priority.ALWAYS);

        SplitPane split = new SplitPane(top, bottom);
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.45);
        VBox.setVgrow(split, Priority.ALWAYS);
        return split;
    }

    private WebhookRow selected() {
        return kept.getSelectedItem();
    }

    /** Selects the webhook with this id, now or once it is listed. */
    public void select(String id) {
        kept.select(id);
    }

    /** Adds the webhook from the form; it is selected once listed. */
    public void create() {
        List<String> events = new ArrayList<>();
        eventBoxes.forEach((ev, cb) -> {
            if (cb.isSelected()) {
                events.add(ev);
            }
        });
        vm.create(url.getText(), events, id -> {
            url.clear();
            select(id);
        });
    }

    private void confirm(String question, String text, String verb, Runnable action) {
        dev.appstrate.desktop.ui.Confirm.ask(view.getScene().getWindow(), question, text, verb, action);
    }

    @Override
    public void onShow() {
        vm.refresh();
        vm.reloadDeliveries();
        poll.play();
    }

    @Override
    public void onHide() {
        poll.stop();
    }
}
