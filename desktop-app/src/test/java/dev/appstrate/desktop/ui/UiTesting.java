package dev.appstrate.desktop.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.settings.SettingsStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the screen tests share: the app's window on a real embedded server, waiting, screenshots, fixtures. */
public final class UiTesting {
    private UiTesting() {
    }

    /** A client of the server as the app makes it: owner token, default application. */
    public static AppstrateClient client(EmbeddedServer server) {
        AppstrateClient c = new AppstrateClient(new ServerEndpoint(server.url(), server.ownerToken().orElse(""), true));
        dev.appstrate.desktop.client.ServerConnect.connect(c);
        c.applicationId(ServerBoot.chooseApplication(c, ""));
        return c;
    }

    /** The main window's content on {@code stage}, as the app builds it, on the dashboard. */
    /** Stops what a screen test's set-up started, skipping what never started. */
    public static void stopAll(AppstrateClient client, EmbeddedServer server, dev.appstrate.runner.testing.ScriptedModelServer model) {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
        if (model != null) {
            model.close();
        }
    }

    public static AppShell show(Stage stage, AppstrateClient client, Path dataDir, String runAdapter) {
        DesktopContext ctx = new DesktopContext(client, new SettingsStore(dataDir), dataDir);
        ctx.localRunAdapter(runAdapter);
        AppShell shell = new AppShell(ctx);
        Scene scene = new Scene(shell.root(), 1280, 820);
        Theme.LIGHT.applyTo(scene);
        shell.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        shell.show(PageId.DASHBOARD);
        return shell;
    }

    public static void waitUntil(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /**
     * Sizes {@code window} to {@code width} × {@code height} and waits until it has that size (see {@link #resize}). Both
     * in one request: a height asked for on its own, before the window manager had answered the width, carried the old
     * width with it and undid it.
     */
    public static void windowSize(Window window, double width, double height) throws Exception {
        framed(window);
        for (int attempt = 1; ; attempt++) {
            WaitForAsyncUtils.asyncFx(() -> {
                window.setWidth(width);
                window.setHeight(height);
            }).get();
            try {
                WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() ->
                        Math.abs(window.getWidth() - width) <= 1 && Math.abs(window.getHeight() - height) <= 1).get());
                WaitForAsyncUtils.waitForFxEvents();
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                String seen = "window " + WaitForAsyncUtils.asyncFx(() -> describe(window)).get() + ", not " + width + "×" + height;
                if (attempt == 4) { // 20 s in all
                    throw new AssertionError(seen, e);
                }
                System.out.println("[resize] asked again, attempt " + attempt + ": " + seen);
            }
        }
    }

    /** Waits until the window manager has framed a decorated real window (its scene then sits below the title bar). */
    private static void framed(Window window) throws Exception {
        if (realWindows() && window instanceof Stage s && s.getStyle() == javafx.stage.StageStyle.DECORATED) {
            try {
                waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> window.getScene() != null && window.getScene().getY() > 0).get());
            } catch (java.util.concurrent.TimeoutException e) {
                System.out.println("[resize] never framed (a window manager that draws no title bar?): " + describe(window));
            }
        }
    }

    /**
     * Sizes {@code window} (its width, or its height when not {@code horizontal}) so that what {@code measured} reads
     * on the FX thread (the window's own size, or a content's) becomes {@code target}, and waits until it has. Under a
     * window manager a size is applied asynchronously, and the frame is part of the window's size: one asked for before
     * the manager told the window its frame's extents (right after show()) comes out a frame off and never holds (CI
     * timed out on it): so it is asked for once the window is framed, and again, from the frame then known, until it
     * holds.
     */
    public static void resize(Window window, boolean horizontal, Callable<Double> measured, double target)
            throws Exception {
        framed(window);
        for (int attempt = 1; ; attempt++) {
            WaitForAsyncUtils.asyncFx(() -> {
                double asked = (horizontal ? window.getWidth() : window.getHeight()) - measured.call() + target;
                if (horizontal) {
                    window.setWidth(asked);
                } else {
                    window.setHeight(asked);
                }
                return null;
            }).get();
            try {
                WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                        () -> WaitForAsyncUtils.asyncFx(() -> Math.abs(measured.call() - target) <= 1).get());
                WaitForAsyncUtils.waitForFxEvents();
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                String seen = (horizontal ? "width " : "height ") + WaitForAsyncUtils.asyncFx(measured).get() + ", not " + target
                        + ", in a window " + WaitForAsyncUtils.asyncFx(() -> describe(window)).get();
                if (attempt == 4) { // 20 s in all
                    throw new AssertionError(seen, e);
                }
                System.out.println("[resize] asked again, attempt " + attempt + ": " + seen);
            }
        }
    }

    private static String describe(Window w) {
        return (int) w.getWidth() + "×" + (int) w.getHeight()
                + (w.getScene() == null ? "" : " (scene " + (int) w.getScene().getWidth() + "×" + (int) w.getScene().getHeight() + ")");
    }

    /**
     * Clicks a navigation entry and waits until its page is shown: in a real window the click travels through the X
     * server, so it can still be on its way when the FX queue is already empty.
     */
    public static <P extends Page> P open(FxRobot robot, AppShell shell, String navId, Class<P> page) throws Exception {
        robot.clickOn(navId);
        waitUntil(() -> page.isInstance(WaitForAsyncUtils.asyncFx(shell::currentPage).get()));
        return page.cast(WaitForAsyncUtils.asyncFx(shell::currentPage).get());
    }

    /**
     * Clicks the text field {@code query} and types {@code text}, then waits until the field holds it: in a real window
     * each key travels through the X server, so the last ones can still be on their way when the FX queue is already
     * empty, and what the test does next without the robot (a fire(), an assertion) would see half the text.
     */
    public static void type(FxRobot robot, String query, String text) throws Exception {
        type(robot, robot.lookup(query).queryTextInputControl(), text);
    }

    /** {@link #type(FxRobot, String, String)} into a field the test holds. */
    public static void type(FxRobot robot, TextInputControl field, String text) throws Exception {
        robot.clickOn(field).write(text);
        waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> field.getText() != null && field.getText().endsWith(text)).get());
    }

    public static String text(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Labeled.class).getText();
    }

    /**
     * Writes docs/screenshots/{name}.png (target/screenshots outside Maven). In a real window (the real-window
     * profile) it is the screen's pixels of the whole window, with the window manager's frame and the real size;
     * under Monocle, the scene's own rendering.
     */
    public static void screenshot(String name, Scene scene) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        javafx.scene.image.Image img;
        Window w = scene.getWindow();
        if (realWindows() && w != null && w.isShowing()) {
            javafx.geometry.Rectangle2D frame = WaitForAsyncUtils.asyncFx(() ->
                    new javafx.geometry.Rectangle2D(w.getX(), w.getY(), w.getWidth(), w.getHeight())).get();
            img = new FxRobot().capture(frame).getImage();
        } else {
            img = WaitForAsyncUtils.asyncFx(() -> scene.snapshot(null)).get();
        }
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", dir.resolve(name + ".png").toFile());
    }

    /** Whether the tests run in real windows on an X display (glass GTK) rather than headless Monocle. */
    public static boolean realWindows() {
        return !"Monocle".equalsIgnoreCase(System.getProperty("glass.platform", ""));
    }

    /** Whether the node and every parent is visible (what the user can see, not just the node's own flag). */
    public static boolean shown(Node n) {
        for (Node x = n; x != null; x = x.getParent()) {
            if (!x.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Every text any open window shows or holds: labels, cells, fields (masked ones too), tooltips. */
    public static List<String> allTexts() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            List<String> out = new ArrayList<>();
            for (Window w : List.copyOf(Window.getWindows())) {
                if (w.getScene() != null) {
                    collect(w.getScene().getRoot(), out);
                }
            }
            return out;
        }).get();
    }

    private static void collect(Node n, List<String> out) {
        if (n instanceof Labeled l) {
            add(out, l.getText());
            tooltip(out, l.getTooltip());
        }
        if (n instanceof TextInputControl t) {
            add(out, t.getText());
            add(out, t.getPromptText());
        }
        if (n instanceof Text t) {
            add(out, t.getText());
        }
        if (n instanceof javafx.scene.control.Control c) {
            tooltip(out, c.getTooltip());
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                collect(child, out);
            }
        }
    }

    private static void tooltip(List<String> out, Tooltip t) {
        if (t != null) {
            add(out, t.getText());
        }
    }

    private static void add(List<String> out, String s) {
        if (s != null && !s.isEmpty()) {
            out.add(s);
        }
    }

    /** A default model on an OpenAI-compatible server (the scripted model server in tests). */
    public static void addModel(AppstrateClient client, String baseUrl) {
        ModelsApi models = new ModelsApi(client);
        ModelsApi.Provider cred = models.createProvider("openai-compatible", "Scripted", "sk-scripted-model", baseUrl);
        models.setDefault(models.createModel(cred.id(), "scripted-model", "Scripted").id());
    }

    /** Writes an {@code .afps} package (a ZIP of manifest.json and prompt.md), what Agents imports. */
    public static Path afps(Path file, String manifest, String prompt) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write(manifest.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("prompt.md"));
            zip.write(prompt.getBytes(StandardCharsets.UTF_8));
        }
        return Files.write(file, bytes.toByteArray());
    }

    /** Adds an agent @local/{name} whose output needs an integer "answer"; {@code adjust} edits the manifest first. */
    public static void addAgent(AppstrateClient client, String name, Consumer<ObjectNode> adjust) {
        ObjectNode manifest = DesktopJson.object();
        manifest.put("name", "@local/" + name).put("version", "1.0.0").put("type", "agent").put("schema_version", "0.1")
                .put("display_name", "Test " + name).put("author", "tests");
        manifest.putObject("dependencies");
        manifest.putArray("runtime_tools").add("output").add("log");
        manifest.putObject("output").set("schema", DesktopJson.MAPPER.valueToTree(Map.of("type", "object",
                "properties", Map.of("answer", Map.of("type", "integer")), "required", List.of("answer"))));
        adjust.accept(manifest);
        ObjectNode body = DesktopJson.object();
        body.set("manifest", manifest);
        body.put("content", "You are a test agent. Run the command you are asked to run, then report the answer.");
        client.send("POST", "/api/packages/agents", body);
    }

    /**
     * The cells of {@code columns} whose text (or status chip) the table cuts ("2026-12-07 1…"), each with its width;
     * the table is laid out first.
     */
    public static java.util.List<String> cutCells(javafx.scene.control.TableView<?> table, java.util.Set<String> columns) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            table.layout();
            java.util.List<String> out = new java.util.ArrayList<>();
            for (javafx.scene.Node n : table.lookupAll(".table-cell")) {
                if (!(n instanceof javafx.scene.control.TableCell<?, ?> c) || c.getTableColumn() == null
                        || !columns.contains(c.getTableColumn().getText())) {
                    continue;
                }
                javafx.scene.control.Labeled shown = c.getGraphic() instanceof javafx.scene.control.Label l ? l : c;
                if (shown.getText() != null && !shown.getText().isEmpty() && shown.getChildrenUnmodifiable().stream()
                        .anyMatch(t -> t instanceof javafx.scene.text.Text x && !x.getText().equals(shown.getText()))) {
                    out.add(c.getTableColumn().getText() + " \"" + shown.getText() + "\" in " + (int) c.getWidth() + " px");
                }
            }
            return out;
        }).get();
    }
}
