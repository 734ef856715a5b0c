package dev.appstrate.server.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** /health and the default application's settings are written without the mapper: the same bytes as the mapper's. */
class JsonTreesTest {
    @Test
    void writesWhatTheMapperWrites() {
        ObjectNode n = JsonTrees.object();
        n.put("status", "starting").put("uptime_ms", 1234L).put("ok", true).put("ratio", 0.25).putNull("none");
        n.putObject("version").put("app", "0.1.0 \"quoted\" \\ back\tslash\nnew\u0001line é ✓");
        n.putArray("list").add(1).add("two").addObject().put("three", false);
        n.putObject("empty");
        assertEquals(Json.string(n), JsonTrees.string(n));
        assertArrayEquals(Json.bytes(n), JsonTrees.bytes(n));
    }
}
