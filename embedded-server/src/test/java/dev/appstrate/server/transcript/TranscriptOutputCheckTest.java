package dev.appstrate.server.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.SchemaValidator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The inspector's output check: each schema error points at the output field it concerns. */
class TranscriptOutputCheckTest {
    private final TranscriptAssembler assembler = new TranscriptAssembler(new SchemaValidator());

    @Test
    void errorsPointAtTheFieldAsAJsonPointer() throws Exception {
        JsonNode schema = Json.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"greeting\":{\"type\":\"string\"},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"count\":{\"type\":\"integer\"}},"
                + "\"required\":[\"greeting\",\"count\"]}");
        ObjectNode bad = Json.object();
        bad.putArray("tags").add("ok").add(7);
        bad.put("count", "three");
        ObjectNode out = assembler.output(bad, schema);
        assertFalse(out.get("valid").asBoolean());
        List<String> fields = new ArrayList<>();
        out.get("errors").forEach(e -> {
            fields.add(e.get("field").asText());
            assertFalse(e.get("message").asText().isBlank());
        });
        assertTrue(fields.containsAll(List.of("/greeting", "/tags/1", "/count")), fields.toString());

        ObjectNode good = Json.object().put("greeting", "Hello Ada").put("count", 1);
        ObjectNode ok = assembler.output(good, schema);
        assertTrue(ok.get("valid").asBoolean());
        assertEquals(0, ok.get("errors").size());
        assertEquals("Hello Ada", ok.at("/value/greeting").asText());

        ObjectNode none = assembler.output(null, schema);
        assertFalse(none.get("valid").asBoolean());
        assertTrue(none.get("value").isNull());
        assertEquals("", none.at("/errors/0/field").asText());
        assertTrue(assembler.output(null, Json.MAPPER.missingNode()).get("valid").asBoolean(), "no schema, nothing to violate");
    }
}
