package dev.appstrate.desktop.ui.agentdev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.agentdev.AgentFolder;
import dev.appstrate.desktop.agentdev.AgentFolderList;
import dev.appstrate.desktop.agentdev.AgentTemplate;
import dev.appstrate.desktop.agentdev.FolderProblem;
import dev.appstrate.desktop.agentdev.FolderWatcher;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.client.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "In development" list: folders remembered across launches, each watched on disk and re-validated by
 * the server on every save; Run / Run again start an inline run of the folder's current contents.
 * Background work runs on {@code worker}, results are published through {@code ui} (the FX thread in the
 * app, the calling thread in tests).
 */
public final class AgentFoldersViewModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentFoldersViewModel.class);
    /** An editor's save is several file events; they settle within this. */
    static final long QUIET_MILLIS = 40;

    public final ObservableList<FolderState> folders = FXCollections.observableArrayList();
    public final ObjectProperty<FolderState> selected = new SimpleObjectProperty<>();
    public final StringProperty message = new SimpleStringProperty("");
    private final AppstrateClient client;
    private final InlineRunsApi inline;
    private final AgentFolderList store;
    private final Executor worker;
    private final Executor ui;
    private final Map<Path, ObjectNode> lastInput = new HashMap<>();
    private final FolderWatcher watcher;
    private final List<Consumer<FolderState>> checkedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public AgentFoldersViewModel(AppstrateClient client, Path dataDir, Executor worker, Executor ui, ExecutorService watchThread) {
        this.client = client;
        this.inline = new InlineRunsApi(client);
        this.store = new AgentFolderList(dataDir);
        this.worker = worker;
        this.ui = ui;
        FolderWatcher w;
        try {
            w = new FolderWatcher(watchThread, QUIET_MILLIS, this::revalidate);
        } catch (IOException e) {
            LOG.warn("No file watching: folders are checked when opened and before each run error={}", e.toString());
            w = null;
        }
        this.watcher = w;
        selected.addListener((o, a, b) -> message.set(""));
    }

    /** Loads the remembered folders and checks each. */
    public void load() {
        for (Path p : store.load()) {
            track(p, false);
        }
    }

    /** "Open agent folder…": adds it (once), watches it and checks it. */
    public void open(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        FolderState existing = find(abs);
        if (existing != null) {
            selected.set(existing);
            revalidate(abs);
            return;
        }
        track(abs, true);
        save();
    }

    /** "New agent…": writes the template into {@code dir}, then opens it. */
    public void create(Path dir, String displayName) throws IOException {
        AgentTemplate.write(dir, displayName);
        open(dir);
    }

    public void remove(FolderState s) {
        if (watcher != null) {
            watcher.unwatch(s.dir());
        }
        folders.removeIf(f -> f.dir().equals(s.dir()));
        lastInput.remove(s.dir());
        if (selected.get() != null && selected.get().dir().equals(s.dir())) {
            selected.set(folders.isEmpty() ? null : folders.get(0));
        }
        save();
    }

    private void track(Path dir, boolean select) {
        FolderState s = new FolderState(dir, null, FolderState.Verdict.CHECKING, List.of(), "", 0);
        folders.add(s);
        if (select || selected.get() == null) {
            selected.set(s);
        }
        if (watcher != null && Files.isDirectory(dir)) {
            watcher.watch(dir);
        }
        revalidate(dir);
    }

    private void save() {
        try {
            store.save(folders.stream().map(FolderState::dir).toList());
        } catch (IOException e) {
            LOG.warn("Saving the agent folder list failed error={}", e.toString());
            message.set("The list of folders could not be saved: " + e.getMessage());
        }
    }

    /** Reads the folder again and asks the server; called by the watcher on every save. */
    public void revalidate(Path dir) {
        worker.execute(() -> {
            AgentFolder folder = AgentFolder.read(dir);
            FolderState result = check(folder, lastInput(dir));
            ui.execute(() -> publish(result));
        });
    }

    private ObjectNode lastInput(Path dir) {
        synchronized (lastInput) {
            return lastInput.get(dir);
        }
    }

    private FolderState check(AgentFolder folder, ObjectNode input) {
        if (!folder.problems().isEmpty()) {
            return new FolderState(folder.dir(), folder, FolderState.Verdict.INVALID, folder.problems(), "", System.nanoTime());
        }
        try {
            inline.validate(folder.inlineBody(input));
            return new FolderState(folder.dir(), folder, FolderState.Verdict.VALID, List.of(), "", System.nanoTime());
        } catch (ApiProblem p) {
            if (p.status() == 400 || p.status() == 413) {
                List<FolderProblem> problems = new ArrayList<>(FolderProblem.fromServer(p));
                if (input == null) {
                    // no input given yet: what the server says about the input is for the Run form, not the folder
                    problems.removeIf(f -> f.file().equals(FolderProblem.INPUT));
                }
                return new FolderState(folder.dir(), folder, problems.isEmpty() ? FolderState.Verdict.VALID : FolderState.Verdict.INVALID,
                        problems, "", System.nanoTime());
            }
            String note = p.notAvailable() ? "This server cannot check or run agent folders (no inline runs)." : p.detail();
            return new FolderState(folder.dir(), folder, FolderState.Verdict.UNCHECKED, List.of(), note, System.nanoTime());
        }
    }

    private void publish(FolderState s) {
        for (int i = 0; i < folders.size(); i++) {
            if (folders.get(i).dir().equals(s.dir())) {
                boolean wasSelected = selected.get() != null && selected.get().dir().equals(s.dir());
                folders.set(i, s);
                if (wasSelected) {
                    selected.set(s);
                }
                checkedListeners.forEach(l -> l.accept(s));
                return;
            }
        }
    }

    /** Tests and the benchmark: told after each check is on screen. */
    public void onChecked(Consumer<FolderState> listener) {
        checkedListeners.add(listener);
    }

    private FolderState find(Path dir) {
        return folders.stream().filter(f -> f.dir().equals(dir)).findFirst().orElse(null);
    }

    /** The folder as it is on disk now (Run always reads it again: the watcher may not have fired yet). */
    public AgentFolder current(Path dir) {
        return AgentFolder.read(dir);
    }

    /** Whether Run again has an input to repeat for this folder. */
    public boolean hasLastInput(Path dir) {
        return lastInput(dir) != null;
    }

    /**
     * Runs the folder's current contents with {@code input}; {@code started} gets the run id (UI thread).
     * Problems are shown beside the files, as a save would show them.
     */
    public void run(Path dir, ObjectNode input, Consumer<String> started) {
        ObjectNode in = input == null ? DesktopJson.object() : input.deepCopy();
        synchronized (lastInput) {
            lastInput.put(dir, in);
        }
        worker.execute(() -> {
            AgentFolder folder = AgentFolder.read(dir);
            if (!folder.problems().isEmpty()) {
                FolderState s = new FolderState(dir, folder, FolderState.Verdict.INVALID, folder.problems(), "", System.nanoTime());
                ui.execute(() -> {
                    publish(s);
                    message.set("Not run: " + s.problems().get(0).describe());
                });
                return;
            }
            try {
                String id = Run.of(inline.run(folder.inlineBody(in))).id();
                ui.execute(() -> {
                    message.set("Run " + id + " started");
                    started.accept(id);
                });
            } catch (ApiProblem p) {
                List<FolderProblem> problems = p.status() == 400 || p.status() == 413 ? FolderProblem.fromServer(p) : List.of();
                FolderState s = new FolderState(dir, folder, problems.isEmpty() ? FolderState.Verdict.UNCHECKED : FolderState.Verdict.INVALID,
                        problems, "", System.nanoTime());
                ui.execute(() -> {
                    if (!problems.isEmpty()) {
                        publish(s);
                    }
                    message.set("Not run: " + p.detail());
                });
            }
        });
    }

    /** Ctrl+R: the selected folder again with its last input; false when there is nothing to repeat. */
    public boolean runAgain(Consumer<String> started) {
        FolderState s = selected.get();
        if (s == null || !hasLastInput(s.dir())) {
            return false;
        }
        run(s.dir(), lastInput(s.dir()), started);
        return true;
    }

    /** Writes the folder as an .afps package. */
    public void export(Path dir, Path file) throws IOException {
        AgentFolder folder = AgentFolder.read(dir);
        try (OutputStream out = Files.newOutputStream(file)) {
            folder.exportAfps(out);
        }
    }

    /** "Install as version…": imports the folder's package into the server (a new version of the agent); answers the import result. */
    public JsonNode install(Path dir) throws IOException {
        AgentFolder folder = AgentFolder.read(dir);
        if (!folder.problems().isEmpty()) {
            throw new IllegalStateException(folder.problems().get(0).describe());
        }
        Path tmp = Files.createTempFile("agent-", ".afps");
        try {
            export(dir, tmp);
            return client.importPackage(tmp, false);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
