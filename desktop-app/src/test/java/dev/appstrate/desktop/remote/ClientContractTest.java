package dev.appstrate.desktop.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.AgentsApi;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.DockerApi;
import dev.appstrate.desktop.client.InlineRunsApi;
import dev.appstrate.desktop.client.ModelsApi;
import dev.appstrate.desktop.client.RunsApi;
import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.client.SecretsApi;
import dev.appstrate.desktop.client.ServerCapabilities;
import dev.appstrate.desktop.client.ServerConnect;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.client.ServerExtensions;
import dev.appstrate.desktop.client.WebhooksApi;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request the desktop client can send is either an operation of the original's OpenAPI document, with a body
 * valid against that operation's request schema, or one of our extensions ({@link ServerExtensions}) that the client
 * refuses to send to a server without its capability. Each client method is run once against the fixture server,
 * which records what arrives; a reflection check keeps the list of calls complete.
 */
class ClientContractTest {
    /** One client method and a call of it with plausible arguments. */
    private record Call(String owner, String method, Consumer<AppstrateClient> run) {
    }

    /** Plumbing, not requests of their own: what they send is covered through the methods that use them. */
    private static final Set<String> PLUMBING = Set.of("AppstrateClient.get", "AppstrateClient.send", "AppstrateClient.getText",
            "AppstrateClient.endpoint", "AppstrateClient.applicationId", "AppstrateClient.capabilities",
            "AppstrateClient.close", "AppstrateClient.stream", "AppstrateClient.runUpdates",
            // capability questions answered from what connect learned, without a request
            "SchedulesApi.canRunNow", "WebhooksApi.canRedeliver", "SecretsApi.listsConnections", "SecretsApi.reportsEncryption",
            "SecretsApi.registersIntegrations", "DockerApi.supported");
    /** Methods that do the original's way what our extension does (a local cron preview, a schedule's runs). */
    private static final Set<String> WITH_FALLBACK = Set.of("SchedulesApi.preview", "SchedulesApi.fires");
    /** The connect probe itself: sent to learn whether the server is ours; the original answers 404 by design. */
    private static final String PROBE = "GET /api/capabilities";
    private static final String AGENT = "@bench-org/hello-world";
    private static final String RUN = "run_42463846-f6ea-4a0f-bf10-d10ed5d75157";
    static OriginalFixtureServer fixture;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        fixture = new OriginalFixtureServer();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static List<Call> calls(Path afps) {
        String sched = "sched_307ede16-0beb-4e99-a66b-bc7815e14f53";
        String hook = "wh_cm1abc123";
        var body = DesktopJson.object();
        List<Call> c = new ArrayList<>();
        c.add(new Call("AppstrateClient", "health", AppstrateClient::health));
        c.add(new Call("AppstrateClient", "agents", AppstrateClient::agents));
        c.add(new Call("AppstrateClient", "agent", x -> x.agent(AGENT)));
        c.add(new Call("AppstrateClient", "agentVersions", x -> x.agentVersions(AGENT)));
        c.add(new Call("AppstrateClient", "importPackage", x -> x.importPackage(afps, true)));
        c.add(new Call("AppstrateClient", "runAgent", x -> x.runAgent(AGENT, DesktopJson.object().put("name", "Ada"), "1.0.0")));
        c.add(new Call("AppstrateClient", "runs", x -> x.runs(AGENT, "failed", 5, 0)));
        c.add(new Call("AppstrateClient", "runs", x -> x.runs(null, "running", 1, 0)));
        c.add(new Call("AppstrateClient", "runsIn", x -> x.runsIn(OriginalFixtureServer.APPLICATION_ID, "pending", 1)));
        c.add(new Call("AppstrateClient", "run", x -> x.run(RUN)));
        c.add(new Call("AppstrateClient", "cancelRun", x -> x.cancelRun(RUN)));
        c.add(new Call("AppstrateClient", "deleteAgentRuns", x -> x.deleteAgentRuns(AGENT)));
        c.add(new Call("AppstrateClient", "runLogs", x -> x.runLogs(RUN, 0, 100)));
        c.add(new Call("AppstrateClient", "exportRunLogs", x -> {
            try {
                x.exportRunLogs(RUN, java.io.OutputStream.nullOutputStream(), JsonNode::toString);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        c.add(new Call("AppstrateClient", "apiKeys", AppstrateClient::apiKeys));
        c.add(new Call("AppstrateClient", "createApiKey", x -> x.createApiKey("CI")));
        c.add(new Call("AppstrateClient", "revokeApiKey", x -> x.revokeApiKey("key_1")));
        c.add(new Call("AppstrateClient", "applications", AppstrateClient::applications));
        c.add(new Call("AppstrateClient", "createApplication", x -> x.createApplication("Second")));
        c.add(new Call("AppstrateClient", "deleteApplication", x -> x.deleteApplication("app_other")));
        c.add(new Call("AgentsApi", "list", x -> new AgentsApi(x).list()));
        c.add(new Call("AgentsApi", "detail", x -> new AgentsApi(x).detail(AGENT)));
        c.add(new Call("AgentsApi", "versions", x -> new AgentsApi(x).versions(AGENT)));
        c.add(new Call("AgentsApi", "importPackage", x -> new AgentsApi(x).importPackage(afps, false)));
        c.add(new Call("AgentsApi", "run", x -> new AgentsApi(x).run(AGENT, DesktopJson.object().put("name", "Ada"), null)));
        c.add(new Call("RunsApi", "page", x -> new RunsApi(x).page(null, "failed", 5, 0)));
        c.add(new Call("RunsApi", "get", x -> new RunsApi(x).get(RUN)));
        c.add(new Call("RunsApi", "cancel", x -> new RunsApi(x).cancel(RUN)));
        c.add(new Call("RunsApi", "deleteAgentRuns", x -> new RunsApi(x).deleteAgentRuns(AGENT)));
        c.add(new Call("DockerApi", "status", x -> new DockerApi(x).status()));
        c.add(new Call("DockerApi", "resources", x -> new DockerApi(x).resources()));
        c.add(new Call("DockerApi", "cleanup", x -> new DockerApi(x).cleanup(true, null, false)));
        c.add(new Call("InlineRunsApi", "run", x -> new InlineRunsApi(x).run(inlineBody())));
        c.add(new Call("InlineRunsApi", "validate", x -> new InlineRunsApi(x).validate(inlineBody())));
        c.add(new Call("InlineRunsApi", "transcript", x -> new InlineRunsApi(x).transcript(RUN)));
        c.add(new Call("InlineRunsApi", "toolCallResult", x -> new InlineRunsApi(x).toolCallResult(RUN, "call_1")));
        c.add(new Call("ModelsApi", "models", x -> new ModelsApi(x).models()));
        c.add(new Call("ModelsApi", "providers", x -> new ModelsApi(x).providers()));
        c.add(new Call("ModelsApi", "probe", x -> new ModelsApi(x).probe("openai-compatible", "http://127.0.0.1:9/v1", "sk")));
        c.add(new Call("ModelsApi", "createProvider", x -> new ModelsApi(x).createProvider("openai-compatible", "L", "sk", "http://127.0.0.1:9/v1")));
        c.add(new Call("ModelsApi", "updateProvider", x -> new ModelsApi(x).updateProvider("cred_1", "L2", "", "http://127.0.0.1:9/v1")));
        c.add(new Call("ModelsApi", "deleteProvider", x -> new ModelsApi(x).deleteProvider("cred_1")));
        c.add(new Call("ModelsApi", "test", x -> new ModelsApi(x).test("cred_1")));
        c.add(new Call("ModelsApi", "createModel", x -> new ModelsApi(x).createModel("cred_1", "gpt-test", "Test")));
        c.add(new Call("ModelsApi", "updateModel", x -> new ModelsApi(x).updateModel("model_1", "gpt-test", "Test")));
        c.add(new Call("ModelsApi", "deleteModel", x -> new ModelsApi(x).deleteModel("model_1")));
        c.add(new Call("ModelsApi", "setDefault", x -> new ModelsApi(x).setDefault("906c973d-a908-4a00-a60e-fc6c37619ab0")));
        c.add(new Call("SchedulesApi", "list", x -> new SchedulesApi(x).list()));
        c.add(new Call("SchedulesApi", "get", x -> new SchedulesApi(x).get(sched)));
        c.add(new Call("SchedulesApi", "create", x -> new SchedulesApi(x).create(AGENT,
                new SchedulesApi.Changes("weekday 9am", "0 9 * * 1-5", "Europe/Paris", true, DesktopJson.object()))));
        c.add(new Call("SchedulesApi", "update", x -> new SchedulesApi(x).update(sched,
                new SchedulesApi.Changes("renamed", null, null, null, null))));
        c.add(new Call("SchedulesApi", "setEnabled", x -> new SchedulesApi(x).setEnabled(sched, false)));
        c.add(new Call("SchedulesApi", "delete", x -> new SchedulesApi(x).delete("sched_other")));
        c.add(new Call("SchedulesApi", "runNow", x -> new SchedulesApi(x).runNow(sched)));
        c.add(new Call("SchedulesApi", "fires", x -> new SchedulesApi(x).fires(sched, 20)));
        c.add(new Call("SchedulesApi", "preview", x -> new SchedulesApi(x).preview("0 9 * * 1-5", "Europe/Paris", 5)));
        c.add(new Call("SecretsApi", "status", x -> new SecretsApi(x).status()));
        c.add(new Call("SecretsApi", "integrations", x -> new SecretsApi(x).integrations()));
        c.add(new Call("SecretsApi", "integration", x -> new SecretsApi(x).integration("@acme/crm")));
        c.add(new Call("SecretsApi", "registerIntegration", x -> new SecretsApi(x).registerIntegration(DesktopJson.object().put("name", "@acme/crm"))));
        c.add(new Call("SecretsApi", "connections", x -> new SecretsApi(x).connections()));
        c.add(new Call("SecretsApi", "connect", x -> new SecretsApi(x).connect("@acme/crm", "api_key", Map.of("api_key", "secret-value"), "Work", null)));
        c.add(new Call("SecretsApi", "deleteConnection", x -> new SecretsApi(x).deleteConnection("conn_1")));
        c.add(new Call("SecretsApi", "modelCredentials", x -> new SecretsApi(x).modelCredentials()));
        c.add(new Call("SecretsApi", "replaceModelKey", x -> new SecretsApi(x).replaceModelKey("cred_1", "sk-new")));
        c.add(new Call("WebhooksApi", "list", x -> new WebhooksApi(x).list()));
        c.add(new Call("WebhooksApi", "create", x -> new WebhooksApi(x).create("https://hooks.example.com/a", List.of("run.success"))));
        c.add(new Call("WebhooksApi", "setEnabled", x -> new WebhooksApi(x).setEnabled(hook, false)));
        c.add(new Call("WebhooksApi", "delete", x -> new WebhooksApi(x).delete("wh_other")));
        c.add(new Call("WebhooksApi", "test", x -> new WebhooksApi(x).test(hook)));
        c.add(new Call("WebhooksApi", "rotate", x -> new WebhooksApi(x).rotate(hook)));
        c.add(new Call("WebhooksApi", "deliveries", x -> new WebhooksApi(x).deliveries(hook, 20)));
        c.add(new Call("WebhooksApi", "redeliver", x -> new WebhooksApi(x).redeliver(hook, "del_1")));
        return c;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode inlineBody() {
        var b = DesktopJson.object();
        b.putObject("manifest").put("name", "@inline/hello").put("type", "agent").put("version", "0.1.0")
                .put("schema_version", "0.1").put("display_name", "Hello").put("author", "me");
        b.put("prompt", "Say hello.");
        b.putObject("input").put("name", "Ada");
        return b;
    }

    @Test
    void everyClientMethodIsExercised() {
        Set<String> called = new TreeSet<>();
        calls(tmp).forEach(c -> called.add(c.owner() + "." + c.method()));
        Set<String> missing = new TreeSet<>();
        for (Class<?> k : List.of(AppstrateClient.class, AgentsApi.class, RunsApi.class, DockerApi.class, InlineRunsApi.class, ModelsApi.class, SchedulesApi.class,
                SecretsApi.class, WebhooksApi.class)) {
            for (Method m : k.getDeclaredMethods()) {
                String name = k.getSimpleName() + "." + m.getName();
                if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !PLUMBING.contains(name)
                        && !called.contains(name)) {
                    missing.add(name);
                }
            }
        }
        assertEquals(Set.of(), missing, "a client method the contract test does not call: add it to calls()");
    }

    @Test
    void everyRequestIsTheOriginalsOperationWithAValidBodyOrAGuardedExtension() throws Exception {
        Path afps = tmp.resolve("hello.afps");
        Files.write(afps, new byte[] {'P', 'K', 3, 4});
        OriginalApi api = OriginalApi.get();
        List<String> problems = new ArrayList<>();
        for (Call call : calls(afps)) {
            // first as if the server had every extension, to see what the method sends
            fixture.clearRequests();
            try (AppstrateClient c = client(ServerCapabilities.OURS)) {
                run(call, c);
            }
            List<OriginalFixtureServer.Recorded> sent = fixture.requests();
            if (sent.isEmpty()) {
                problems.add(call.owner() + "." + call.method() + ": sent nothing");
            }
            boolean anyExtension = false;
            for (OriginalFixtureServer.Recorded r : sent) {
                String what = call.owner() + "." + call.method() + " → " + r.method() + " " + r.path();
                var extension = ServerExtensions.of(r.method(), r.path());
                var op = api.find(r.method(), r.path());
                if (extension.isPresent()) {
                    anyExtension = true;
                    if (op.isPresent()) {
                        problems.add(what + ": marked ours-only (" + extension.get().capability() + ") but the original has "
                                + op.get().template());
                    }
                    continue;
                }
                if (op.isEmpty()) {
                    problems.add(what + ": not an operation of the original, and not marked ours-only in ServerExtensions");
                    continue;
                }
                problems.addAll(queryProblems(what, op.get(), r.query()));
                if (op.get().takesMultipart()) {
                    if (!r.contentType().startsWith("multipart/form-data")) {
                        problems.add(what + ": the original takes multipart/form-data, got " + r.contentType());
                    }
                } else if (!op.get().jsonBodySchema().isMissingNode() || !r.body().isBlank()) {
                    for (String e : api.bodyErrors(op.get(), r.json())) {
                        problems.add(what + ": body " + r.body() + " breaks the original's schema: " + e);
                    }
                }
            }
            if (anyExtension) {
                // then as connected to the original: the client must not send it at all
                fixture.clearRequests();
                try (AppstrateClient c = client(null)) {
                    ServerConnect.connect(c);
                    fixture.clearRequests();
                    try {
                        call.run().accept(c);
                        if (!WITH_FALLBACK.contains(call.owner() + "." + call.method())) {
                            problems.add(call.owner() + "." + call.method() + ": an extension call succeeded against the original");
                        }
                    } catch (ApiProblem p) {
                        if (!p.notAvailable()) {
                            problems.add(call.owner() + "." + call.method() + ": refused as " + p.status() + " " + p.detail()
                                    + " instead of \"not available on this server\"");
                        }
                    }
                    fixture.requests().stream().filter(r -> ServerExtensions.of(r.method(), r.path()).isPresent())
                            .forEach(r -> problems.add(call.owner() + "." + call.method() + ": sent " + r.method() + " " + r.path()
                                    + " to a server without that extension"));
                }
            }
        }
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    @Test
    void theConnectProbeIsTheOnlyUnguardedRequestTheOriginalDoesNotHave() {
        fixture.clearRequests();
        try (AppstrateClient c = client(null)) {
            ServerConnect.connect(c);
        }
        List<String> notOriginal = fixture.requests().stream()
                .filter(r -> !r.path().equals("/health") && OriginalApi.get().find(r.method(), r.path()).isEmpty())
                .map(r -> r.method() + " " + r.path()).toList();
        assertEquals(List.of(PROBE), notOriginal);
        assertTrue(ServerExtensions.of("GET", "/api/capabilities").isEmpty());
    }

    private static void run(Call call, AppstrateClient c) {
        try {
            call.run().accept(c);
        } catch (ApiProblem | IllegalArgumentException ignored) {
            // the fixture's answer does not matter here: what was sent does
        }
    }

    private static AppstrateClient client(ServerCapabilities caps) {
        AppstrateClient c = new AppstrateClient(new ServerEndpoint(fixture.url(), fixture.fullKey(), false));
        c.applicationId(OriginalFixtureServer.APPLICATION_ID); // as the app learns it at connect (a key sees only its own)
        if (caps != null) {
            c.capabilities(caps);
        }
        return c;
    }

    private static List<String> queryProblems(String what, OriginalApi.Operation op, String query) {
        if (query == null || query.isBlank()) {
            return List.of();
        }
        Set<String> declared = new TreeSet<>();
        for (JsonNode p : op.node().path("parameters")) {
            JsonNode param = p.has("$ref") ? OriginalApi.get().document().at(p.get("$ref").asText().substring(1)) : p;
            if ("query".equals(param.path("in").asText())) {
                declared.add(param.path("name").asText());
            }
        }
        List<String> out = new ArrayList<>();
        for (String pair : query.split("&")) {
            String name = pair.split("=", 2)[0];
            if (!declared.contains(name)) {
                out.add(what + ": query parameter \"" + name + "\" is not one the original declares " + declared);
            }
        }
        return out;
    }
}
