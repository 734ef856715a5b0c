package dev.appstrate.desktop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void flagsWinOverTheEnvironment() {
        CommandLine c = CommandLine.parse(List.of("run", "./my-agent", "--input", "{\"name\":\"Ada\"}", "--server=http://h:1"),
                Map.of("APPSTRATE_URL", "http://env:2", "APPSTRATE_API_KEY", "ask_env"));
        assertEquals(Path.of("./my-agent"), c.folder());
        assertEquals("{\"name\":\"Ada\"}", c.input());
        assertEquals("http://h:1", c.server());
        assertEquals("ask_env", c.apiKey());
        assertNull(CommandLine.parse(List.of("validate", "x"), Map.of("APPSTRATE_URL", "")).server());
    }

    @Test
    void mistakesAreRefusedWithTheUsage() {
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("run"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("run", "a", "b"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("run", "a", "--inptu", "{}"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("run", "a", "--input"), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> AgentCommand.readInput("[1]"));
        assertThrows(IllegalArgumentException.class, () -> AgentCommand.readInput("{nope"));
    }
}
