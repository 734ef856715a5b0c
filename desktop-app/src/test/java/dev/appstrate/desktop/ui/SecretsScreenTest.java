package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.ui.UiTesting.screenshot;
import static dev.appstrate.desktop.ui.UiTesting.text;
import static dev.appstrate.desktop.ui.UiTesting.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.desktop.ui.secrets.SecretField;
import dev.appstrate.desktop.ui.secrets.SecretsPage;
import dev.appstrate.desktop.ui.secrets.SecretsViewModel;
import dev.appstrate.runner.testing.ScriptedModelServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Secrets screen against a real embedded server: a connection typed in (masked, revealed while typing,
 * copied), saved, then never shown again; a run of an agent that declares the integration gets it injected
 * by the server's credential proxy into its call to a loopback "integration".
 */
@ScreenTest
class SecretsScreenTest {
    static final String API_KEY = "crm_live_Zu7Kq2Wp9Rt4Yx6";
    static final String MODEL_KEY = "sk-replaced-Mn3Bv8Cx1Lk5";

    @TempDir
    static Path dataDir;
    static EmbeddedServer server;
    static ScriptedModelServer model;
    static AppstrateClient client;
    static HttpServer upstream;
    static String upstreamBase;
    /** The Authorization header of each call the "integration" received. */
    static final List<String> authorizations = new CopyOnWriteArrayList<>();
    AppShell shell;

    @BeforeAll
    static void startServer() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", ex -> {
            authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] b = "{\"contacts\":3}".getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        upstream.start();
        upstreamBase = "http://127.0.0.1:" + upstream.getAddress().getPort();
        model = ScriptedModelServer.bashThenOutput("curl -sS \"$APPSTRATE_CREDENTIAL_PROXY_URL\" "
                + "-H \"Authorization: Bearer $APPSTRATE_RUN_TOKEN\" -H 'X-Integration-Id: @acme/crm' "
                + "-H 'X-Target: " + upstreamBase + "/v1/contacts'", Map.of("answer", 3));
        server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn", "EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1"), dataDir);
        client = UiTesting.client(server);
        UiTesting.addModel(client, model.baseUrl());
        UiTesting.addAgent(client, "crmreader", m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("dependencies")).putObject("integrations").put("@acme/crm", "^1.0.0"));
    }

    @AfterAll
    static void stopServer() {
        UiTesting.stopAll(client, server, model);
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Start
    void start(Stage stage) {
        shell = UiTesting.show(stage, client, dataDir, server.runAdapter());
    }

    @Test
    void aConnectionIsTypedMaskedSavedAndNeverShownAgainAndARunGetsItThroughTheProxy(FxRobot robot) throws Exception {
        SecretsPage page = UiTesting.open(robot, shell, "#nav-secrets", SecretsPage.class);
        waitUntil(() -> text(robot, "#secrets-encryption").contains("active key"));
        waitUntil(() -> page.viewModel().modelKeys().size() == 1);

        robot.clickOn("#secrets-register");
        waitUntil(() -> robot.lookup("#integration-manifest").tryQuery().isPresent());
        // it opens ready to paste: the manifest's box has the focus, not Cancel
        waitUntil(() -> robot.lookup("#integration-manifest").query().isFocused());
        String manifest = """
                {"name":"@acme/crm","version":"1.0.0","type":"integration","display_name":"Acme CRM",
                 "auths":{"primary":{"type":"api_key","authorized_uris":["%s/v1/**"],
                   "delivery":{"http":{"in":"header","name":"Authorization","prefix":"Bearer ","value":"{$credential.api_key}"}}}}}"""
                .formatted(upstreamBase);
        robot.interact(() -> robot.lookup("#integration-manifest").queryAs(TextArea.class).setText(manifest));
        robot.clickOn("#integration-register");
        waitUntil(() -> page.field("api_key") != null);
        waitUntil(() -> text(robot, "#secrets-auth-note").contains("not connected yet"));

        SecretField field = page.field("api_key");
        UiTesting.type(robot, "#secrets-field-api_key-input", API_KEY);
        assertEquals(API_KEY, field.text());
        assertFalse(robot.lookup("#secrets-field-api_key-plain").query().isVisible(), "masked while typing by default");
        robot.clickOn("#secrets-field-api_key-reveal");
        waitUntil(() -> robot.lookup("#secrets-field-api_key-plain").query().isVisible());
        assertEquals(API_KEY, robot.lookup("#secrets-field-api_key-plain").queryTextInputControl().getText());
        robot.clickOn("#secrets-field-api_key-copy");
        // the click reaches the window through the X server: wait for its effect, not for an empty FX queue
        waitUntil(() -> API_KEY.equals(WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get()));
        assertTrue(page.clipboard().armed(), "the clipboard will be cleared");
        robot.clickOn("#secrets-label").write("Work account");

        robot.type(javafx.scene.input.KeyCode.ENTER); // Enter in the form saves, as in Models' form (did nothing before)
        TableView<SecretsViewModel.ConnectionRow> table = robot.lookup("#secrets-connections").queryTableView();
        waitUntil(() -> table.getItems().size() == 1);
        SecretsViewModel.ConnectionRow row = table.getItems().get(0);
        assertEquals("@acme/crm", row.packageId());
        assertEquals("api_key ••••" + API_KEY.substring(API_KEY.length() - 4), row.hints());
        assertEquals("", field.text(), "nothing typed stays after saving");
        assertFalse(field.revealed());
        waitUntil(() -> text(robot, "#secrets-auth-note").contains("connected (1)"));
        assertEquals("Acme CRM  (@acme/crm)", String.valueOf(robot.lookup("#secrets-integration").queryComboBox().getValue()));
        assertEquals("primary", robot.lookup("#secrets-auth").queryComboBox().getValue());
        assertFalse(robot.lookup("#secrets-save").queryButton().isDisabled(), "ready for the next connection");

        // the model provider's key is write-only too: replaced, then forgotten
        robot.interact(() -> robot.lookup("#secrets-model-keys").queryTableView().getSelectionModel().select(0));
        robot.clickOn("#secrets-model-key-input").write(MODEL_KEY);
        robot.clickOn("#secrets-model-key-save");
        waitUntil(() -> shell.notificationText().contains("was replaced"));
        robot.interact(() -> ((javafx.scene.control.ScrollPane) shell.root().lookup(".scroll-pane")).setVvalue(0));
        screenshot("secrets", shell.root().getScene());

        List<String> shown = UiTesting.allTexts();
        assertTrue(shown.stream().anyMatch(t -> t.contains("••••" + API_KEY.substring(API_KEY.length() - 4))), "the hint is shown");
        assertTrue(shown.stream().noneMatch(t -> t.contains(API_KEY) || t.contains(MODEL_KEY)),
                "no saved value anywhere in the scene graph: " + shown.stream().filter(t -> t.contains(API_KEY)).toList());
        assertFalse(client.get("/api/connections", Map.of()).toString().contains(API_KEY));

        // an agent that declares the integration runs with it: the server injects it into the call upstream
        JsonNode run = client.send("POST", "/api/agents/@local/crmreader/run", DesktopJson.object());
        String runId = run.path("id").asText();
        waitUntil(() -> Stream.of("success", "failed", "timeout", "cancelled").anyMatch(s -> s.equals(client.run(runId).path("status").asText())));
        assertEquals("success", client.run(runId).path("status").asText(), client.run(runId).toString());
        assertEquals(List.of("Bearer " + API_KEY), authorizations);
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(API_KEY),
                        "the value is stored encrypted, nowhere in clear: " + f);
            }
        }
    }

    @Test
    void theClipboardIsClearedAfterTheDelayOnlyIfItStillHoldsTheCopiedValue() throws Exception {
        ClipboardGuard guard = WaitForAsyncUtils.asyncFx(() -> new ClipboardGuard(Duration.millis(300))).get();
        WaitForAsyncUtils.asyncFx(() -> guard.copy("s3cr3t-copied")).get();
        assertEquals("s3cr3t-copied", WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get());
        waitUntil(() -> !guard.armed());
        assertFalse(WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().hasString()).get(), "cleared");

        WaitForAsyncUtils.asyncFx(() -> {
            guard.copy("s3cr3t-again");
            ClipboardContent other = new ClipboardContent();
            other.putString("something the user copied since");
            Clipboard.getSystemClipboard().setContent(other);
        }).get();
        waitUntil(() -> !guard.armed());
        assertEquals("something the user copied since",
                WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get(), "left alone");
    }
}
