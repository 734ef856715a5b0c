package dev.appstrate.server.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/** The schema service runs and the manifest checks rely on: error paths, schema checks, no network. */
class SchemaValidatorTest {
    final SchemaValidator validator = new SchemaValidator();

    static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void instanceErrorsCarryTheirPath() {
        JsonNode schema = json("{\"type\":\"object\",\"required\":[\"topic\"],\"properties\":{\"topic\":{\"type\":\"string\"},"
                + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}");
        assertEquals(List.of(), validator.validate(schema, json("{\"topic\":\"x\",\"tags\":[1,2]}")));
        List<SchemaValidator.SchemaError> errors = validator.validate(schema, json("{\"tags\":[1,\"two\"]}"));
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.keyword().equals("required") && e.path().equals("$")));
        assertTrue(errors.stream().anyMatch(e -> e.keyword().equals("type") && e.path().equals("$.tags[1]")), errors.toString());
    }

    @Test
    void schemasThemselvesAreChecked() {
        assertEquals(List.of(), validator.checkSchema(json("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"minimum\":0}}}")));
        assertFalse(validator.checkSchema(json("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"strng\"}}}")).isEmpty());
        assertFalse(validator.checkSchema(json("{\"type\":\"object\",\"required\":\"n\"}")).isEmpty());
        assertFalse(validator.checkSchema(json("{\"minimum\":\"zero\"}")).isEmpty());
    }

    @Test
    void remoteReferencesAreNeverFetched() throws IOException {
        AtomicInteger hits = new AtomicInteger();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", ex -> {
            hits.incrementAndGet();
            byte[] b = "{\"type\":\"string\"}".getBytes();
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/schema.json";
            JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"x\":{\"$ref\":\"" + url + "\"}}}");
            assertFalse(validator.checkSchema(schema).isEmpty(), "a schema that needs the network is refused");
            assertEquals(0, hits.get(), "the validator reached out to " + url);
        } finally {
            http.stop(0);
        }
    }
}
