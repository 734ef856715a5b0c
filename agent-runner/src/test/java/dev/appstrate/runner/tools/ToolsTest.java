package dev.appstrate.runner.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.Json;
import dev.appstrate.runner.model.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolsTest {
    @TempDir
    Path dir;

    private final List<String> logs = new ArrayList<>();
    private final List<JsonNode> outputs = new ArrayList<>();
    private final RuntimeToolListener listener = new RuntimeToolListener() {
        @Override
        public void logWritten(String level, String message) {
            logs.add(level + ":" + message);
        }

        @Override
        public void outputEmitted(JsonNode data) {
            outputs.add(data);
        }
    };

    private Toolbox toolbox(Path ws, JsonNode schema) {
        return Toolbox.standard(new Workspace(ws), 30_000, schema, listener);
    }

    private ToolOutcome call(Toolbox tb, String name, String args) throws InterruptedException {
        return tb.execute(new ToolCall("c1", name, args));
    }

    @Test
    void workspaceRefusesDotDotAbsoluteAndSymlinkEscapes() throws Exception {
        Path ws = Files.createDirectory(dir.resolve("ws"));
        Files.writeString(dir.resolve("secret.txt"), "TOP SECRET");
        Files.createSymbolicLink(ws.resolve("link"), dir);
        Workspace w = new Workspace(ws);
        assertThrows(ToolFailure.class, () -> w.resolve("../secret.txt"));
        assertThrows(ToolFailure.class, () -> w.resolve("a/../../secret.txt"));
        assertThrows(ToolFailure.class, () -> w.resolve(dir.resolve("secret.txt").toString()));
        assertThrows(ToolFailure.class, () -> w.resolve("link/secret.txt"));
        assertThrows(ToolFailure.class, () -> w.resolve("link/new-file.txt"));
        assertEquals(w.root().resolve("sub/file.txt"), w.resolve("sub/./file.txt"));
        assertEquals(w.root().resolve("x"), w.resolve(w.root().resolve("x").toString()));
    }

    @Test
    void writeReadEdit() throws Exception {
        Toolbox tb = toolbox(dir, null);
        assertFalse(call(tb, "write", "{\"path\":\"a/b.txt\",\"content\":\"one\\ntwo\\ntwo\\n\"}").isError());
        ToolOutcome read = call(tb, "read", "{\"path\":\"a/b.txt\"}");
        assertEquals("one\ntwo\ntwo\n", read.text());
        assertEquals("two\n", call(tb, "read", "{\"path\":\"a/b.txt\",\"offset\":3}").text());

        ToolOutcome ambiguous = call(tb, "edit", "{\"path\":\"a/b.txt\",\"old_string\":\"two\",\"new_string\":\"2\"}");
        assertTrue(ambiguous.isError() && ambiguous.text().contains("not unique in a/b.txt (2 occurrences)"), ambiguous.text());
        ToolOutcome missing = call(tb, "edit", "{\"path\":\"a/b.txt\",\"old_string\":\"zzz\",\"new_string\":\"2\"}");
        assertTrue(missing.isError() && missing.text().contains("not found"), missing.text());
        assertFalse(call(tb, "edit", "{\"path\":\"a/b.txt\",\"oldText\":\"one\",\"newText\":\"1\"}").isError());
        assertEquals("1\ntwo\ntwo\n", Files.readString(dir.resolve("a/b.txt")));
    }

    @Test
    void bashRunsInTheWorkspaceReportsExitCodesAndHidesCredentials() throws Exception {
        Toolbox tb = toolbox(dir, null);
        ToolOutcome pwd = call(tb, "bash", "{\"command\":\"pwd\"}");
        assertEquals(dir.toRealPath().toString(), pwd.text());
        ToolOutcome fail = call(tb, "bash", "{\"command\":\"echo oops >&2; exit 3\"}");
        assertTrue(fail.isError());
        assertTrue(fail.text().contains("oops") && fail.text().contains("exited with code 3"), fail.text());
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of(
                "APPSTRATE_SINK_SECRET", "s", "APPSTRATE_SINK_URL", "u", "MODEL_API_KEY", "k", "PATH", "/bin"));
        BashTool.scrubEnvironment(env);
        assertEquals(java.util.Set.of("PATH"), env.keySet());
    }

    @Test
    void bashTimeoutKillsTheProcessTree() throws Exception {
        Toolbox tb = toolbox(dir, null);
        long t0 = System.nanoTime();
        ToolOutcome out = call(tb, "bash",
                "{\"command\":\"(sleep 30; echo late > late.txt) & echo $! > child.pid; sleep 30\",\"timeout\":1}");
        assertTrue(out.isError() && out.text().contains("timed out after 1s"), out.text());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        long childPid = Long.parseLong(Files.readString(dir.resolve("child.pid")).trim());
        assertTrue(dev.appstrate.runner.testing.RunnerProcess.awaitGone(childPid), "background child killed");
        assertFalse(Files.exists(dir.resolve("late.txt")));
    }

    @Test
    void bashOutputIsCappedToTheTail() throws Exception {
        Toolbox tb = Toolbox.standard(new Workspace(dir), 1000, null, listener);
        ToolOutcome out = call(tb, "bash", "{\"command\":\"seq 1 2000\"}");
        assertTrue(out.text().startsWith("[output truncated: first "), out.text().substring(0, 40));
        assertTrue(out.text().endsWith("\n2000"));
        assertTrue(out.text().length() < 1100);
    }

    @Test
    void logAndOutputToolsReportToTheListenerAndOutputIsValidated() throws Exception {
        JsonNode schema = Json.parse("{\"type\":\"object\",\"required\":[\"answer\"],"
                + "\"properties\":{\"answer\":{\"type\":\"integer\"}}}");
        Toolbox tb = toolbox(dir, schema);
        assertEquals("Logged [warn]: careful", call(tb, "log", "{\"level\":\"warn\",\"message\":\"careful\"}").text());
        assertTrue(call(tb, "log", "{\"level\":\"loud\",\"message\":\"x\"}").isError());
        assertEquals(List.of("warn:careful"), logs);

        ToolOutcome bad = call(tb, "output", "{\"data\":{\"answer\":\"forty-two\"}}");
        assertTrue(bad.isError() && bad.text().contains("/answer must be integer"), bad.text());
        ToolOutcome missing = call(tb, "output", "{\"data\":{}}");
        assertTrue(missing.isError() && missing.text().contains("required property 'answer'"), missing.text());
        assertEquals("Output recorded", call(tb, "output", "{\"data\":{\"answer\":42}}").text());
        assertEquals("Output recorded", call(tb, "output", "{\"answer\":43}").text(), "unwrapped arguments accepted");
        assertEquals(List.of(Json.parse("{\"answer\":42}"), Json.parse("{\"answer\":43}")), outputs);
    }

    @Test
    void unknownToolsAndBadArgumentsBecomeErrorResults() throws Exception {
        Toolbox tb = toolbox(dir, null);
        assertTrue(call(tb, "teleport", "{}").text().startsWith("Unknown tool: teleport"));
        assertTrue(call(tb, "bash", "{not json").text().startsWith("Invalid JSON arguments for tool bash"));
        assertTrue(call(tb, "bash", "{}").text().contains("Missing required argument 'command'"));
    }
}
