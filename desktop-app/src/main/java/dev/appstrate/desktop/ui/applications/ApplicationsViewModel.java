package dev.appstrate.desktop.ui.applications;

import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.TenancyApi;
import dev.appstrate.desktop.ui.Notifier;
import dev.appstrate.desktop.ui.Shown;
import dev.appstrate.desktop.ui.TaskExecutor;
import dev.appstrate.desktop.ui.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** Applications: list, create, delete, and the one the app works in (sent as X-App-Id, remembered in the settings). */
public final class ApplicationsViewModel {
    /** One application as listed. */
    /** An application as listed; {@code createdAt} is an ISO instant ("" for none). */
    public record Application(String id, String name, boolean isDefault, String createdAt) {
        static Application of(TenancyApi.Application a) {
            return new Application(a.id(), a.name(), a.isDefault(), a.createdAt() == null ? "" : a.createdAt());
        }

        /** When it was created, as local time. */
        public String created() {
            return Shown.when(createdAt);
        }
    }

    private final AppstrateClient client;
    private final TenancyApi tenancy;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final Consumer<String> remember;
    private final ObservableList<Application> apps = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty current = new SimpleStringProperty("");
    private final StringProperty name = new SimpleStringProperty("");

    /** {@code remember} saves the chosen application id so the next launch works in it too. */
    public ApplicationsViewModel(AppstrateClient client, TaskExecutor tasks, Notifier notifier, Consumer<String> remember) {
        this.client = client;
        this.tenancy = new TenancyApi(client);
        this.tasks = tasks;
        this.notifier = notifier;
        this.remember = remember;
    }

    public ObservableList<Application> applications() {
        return apps;
    }

    public StringProperty messageProperty() {
        return message;
    }

    /** "Working in <name>", or why no application applies. */
    public StringProperty currentProperty() {
        return current;
    }

    public StringProperty nameProperty() {
        return name;
    }

    /** Whether {@code app} is the one every screen works in. */
    public boolean isCurrent(Application app) {
        return app.id().equals(client.applicationId());
    }

    public void refresh() {
        Tasks.create(() -> {
                    List<Application> out = new ArrayList<>();
                    tenancy.applications().forEach(a -> out.add(Application.of(a)));
                    return out;
                })
                .onSuccess(list -> {
                    apps.setAll(list);
                    message.set("");
                    current.set(currentText());
                })
                .onError(e -> message.set(Notifier.describeLoad("Applications", e)))
                .on(tasks);
    }

    private String currentText() {
        if (client.endpoint().apiKey()) {
            return "This API key works in its own application.";
        }
        String id = client.applicationId();
        return id == null ? "No application chosen." : "Working in " + apps.stream().filter(a -> a.id().equals(id))
                .map(Application::name).findFirst().orElse(id);
    }

    public void create() {
        String n = name.get() == null ? "" : name.get().trim();
        if (n.isEmpty()) {
            message.set("Give the application a name.");
            return;
        }
        Tasks.create(() -> tenancy.createApplication(n))
                .onSuccess(a -> {
                    name.set("");
                    notifier.info("Created " + a.name());
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }

    /** Makes {@code app} the current application for every screen, and remembers it. */
    public void use(Application app) {
        client.applicationId(app.id());
        remember.accept(app.id());
        notifier.info("Working in " + app.name());
        refresh();
    }

    public void delete(Application app) {
        if (isCurrent(app)) {
            message.set("This is the application the app works in: choose another one first.");
            return;
        }
        Tasks.run(() -> tenancy.deleteApplication(app.id()))
                .onSuccess(x -> {
                    notifier.info("Deleted " + app.name());
                    refresh();
                })
                .onError(e -> message.set(Notifier.describe(e)))
                .on(tasks);
    }
}
