package dev.appstrate.desktop.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --server URL} picks a remote server for one launch; a missing or odd URL is refused with the usage. */
class LaunchOptionsTest {
    @Test
    void serverTakesAUrlEitherWay() {
        assertEquals("https://appstrate.example.com", LaunchOptions.parse(List.of("--server", "https://appstrate.example.com")).server());
        assertEquals("http://127.0.0.1:3000", LaunchOptions.parse(List.of("--server=http://127.0.0.1:3000")).server());
        assertNull(LaunchOptions.parse(List.of()).server());
        assertTrue(LaunchOptions.USAGE.contains("--server URL") && LaunchOptions.USAGE.contains("APPSTRATE_API_KEY"));
    }

    @Test
    void aMissingOrNonHttpUrlAndHeadlessTogetherAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(List.of("--server")))
                .getMessage().startsWith("--server needs a URL"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(List.of("--server", "appstrate.example.com")))
                .getMessage().contains("http:// or https://"));
        assertThrows(IllegalArgumentException.class, () -> LaunchOptions.parse(List.of("--headless", "--server", "https://a.example")));
    }
}
