package dev.appstrate.desktop.ui.webhooks;

import dev.appstrate.desktop.client.WebhooksApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The application's webhooks, the selected one's deliveries, and a secret to show once. */
public final class WebhooksViewModel {
    private final WebhooksApi api;
    final ObservableList<WebhookRow> webhooks = FXCollections.observableArrayList();
    final ObservableList<DeliveryRow> deliveries = FXCollections.observableArrayList();
    final StringProperty message = new SimpleStringProperty("");
    /** What the empty table says, once a load found nothing ("" before: an empty state during the load or after an error would mislead). */
    final StringProperty empty = new SimpleStringProperty("");
    /** A signing secret just created or rotated: shown until dismissed, never fetched again. */
    final StringProperty secretOnce = new SimpleStringProperty("");
    final StringProperty secretFor = new SimpleStringProperty("");
    private String deliveriesOf;

    public WebhooksViewModel(WebhooksApi api) {
        this.api = api;
    }

    public ObservableList<WebhookRow> webhooks() {
        return webhooks;
    }

    public ObservableList<DeliveryRow> deliveries() {
        return deliveries;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public String secretOnce() {
        return secretOnce.get();
    }

    public void refresh() {
        Tasks.create(api::list)
                .onSuccess(data -> {
                    List<WebhookRow> rows = new ArrayList<>();
                    data.forEach(w -> rows.add(WebhookRow.of(w)));
                    webhooks.setAll(rows);
                    empty.set(rows.isEmpty() ? "No webhooks yet: add a URL to be told when runs start and finish." : "");
                    message.set("");
                })
                .onError(e -> message.set(Notifier.describeLoad("Webhooks", e)))
                .start();
    }

    public void create(String url, List<String> events, Consumer<String> created) {
        if (url.isBlank() || events.isEmpty()) {
            message.set("Enter the receiver's URL and choose at least one event.");
            return;
        }
        Tasks.create(() -> api.create(url.trim(), events))
                .onSuccess(w -> {
                    secretOnce.set(w.secret());
                    secretFor.set(w.webhook().url());
                    message.set("");
                    refresh();
                    created.accept(w.webhook().id());
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    public void loadDeliveries(String webhookId) {
        deliveriesOf = webhookId;
        if (webhookId == null) {
            deliveries.clear();
            return;
        }
        Tasks.create(() -> api.deliveries(webhookId, 50))
                .onSuccess(data -> {
                    if (!webhookId.equals(deliveriesOf)) {
                        return;
                    }
                    List<DeliveryRow> rows = new ArrayList<>();
                    data.forEach(d -> rows.add(DeliveryRow.of(d)));
                    if (!rows.equals(deliveries)) {
                        deliveries.setAll(rows);
                    }
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    /** Reloads the deliveries shown (retries happen in the background). */
    public void reloadDeliveries() {
        if (deliveriesOf != null) {
            loadDeliveries(deliveriesOf);
        }
    }

    /**
     * Sends a signed test.ping now; the outcome appears in the deliveries (the original answers before delivering). A
     * ping that failed is told through {@code failed} (an error, not an info notice), any other outcome through {@code done}.
     */
    public void test(WebhookRow w, Consumer<String> done, Consumer<String> failed) {
        Tasks.create(() -> api.test(w.id()))
                .onSuccess(r -> {
                    (testFailed(r) ? failed : done).accept(testOutcome(w, r));
                    loadDeliveries(w.id());
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    static boolean testFailed(WebhooksApi.TestPing r) {
        return r.delivery() != null && "failed".equals(r.delivery().status());
    }

    static String testOutcome(WebhookRow w, WebhooksApi.TestPing r) {
        WebhooksApi.Delivery d = r.delivery();
        if (d == null) {
            return "Test ping to " + w.url() + " sent" + (r.eventId().isEmpty() ? "" : " (" + r.eventId() + ")")
                    + ": its delivery appears below";
        }
        return "Test ping to " + w.url() + ": " + d.status() + (d.statusCode().isEmpty() ? "" : " (HTTP " + d.statusCode() + ")")
                + (d.error().isEmpty() ? "" : " — " + d.error());
    }

    /** Whether a delivery can be sent again (our server; the original has no such operation). */
    public boolean canRedeliver() {
        return api.canRedeliver();
    }

    public void redeliver(DeliveryRow d, Consumer<String> done) {
        Tasks.run(() -> api.redeliver(d.webhookId(), d.id()))
                .onSuccess(r -> {
                    done.accept("The " + d.eventType() + " event is queued for delivery again");
                    loadDeliveries(d.webhookId());
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    public void setEnabled(WebhookRow w, boolean enabled) {
        Tasks.create(() -> api.setEnabled(w.id(), enabled))
                .onSuccess(x -> refresh())
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    /** A new secret signs alongside the old one for the rotation window; it is shown once. */
    public void rotate(WebhookRow w) {
        Tasks.create(() -> api.rotate(w.id()))
                .onSuccess(r -> {
                    secretOnce.set(r.secret());
                    secretFor.set(w.url());
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    public void delete(WebhookRow w) {
        Tasks.run(() -> api.delete(w.id()))
                .onSuccess(x -> {
                    if (w.id().equals(deliveriesOf)) {
                        loadDeliveries(null);
                    }
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .start();
    }

    /** Forgets the secret on screen (the user stored it). */
    public void dismissSecret() {
        secretOnce.set("");
        secretFor.set("");
    }
}
