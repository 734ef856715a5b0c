package dev.appstrate.desktop.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.settings.DesktopSettings;
import dev.appstrate.desktop.settings.SettingsStore;
import dev.appstrate.desktop.ui.Notifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Settings screen's logic with the real settings file; no FX thread needed. */
class SettingsViewModelTest {
    @TempDir
    Path dataDir;

    @Test
    void serverSettingsAskForARestartTheThemeDoesNotAndFixedChoicesAreListed() throws Exception {
        SettingsStore store = new SettingsStore(dataDir);
        AtomicReference<DesktopSettings> current = new AtomicReference<>(store.load());
        List<String> notes = new ArrayList<>();
        SettingsViewModel vm = new SettingsViewModel(current::get, s -> {
            current.set(s);
            try {
                store.save(s);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, new Notifier() {
            @Override
            public void info(String message) {
                notes.add(message);
            }

            @Override
            public void error(String message) {
                notes.add("error: " + message);
            }
        });

        vm.darkProperty().set(true);
        assertEquals("dark", current.get().theme(), "the theme is saved at once");
        vm.save();
        assertEquals("", vm.restartNoteProperty().get());
        assertEquals(List.of("Settings saved"), notes);

        vm.server("LOG_LEVEL").set("debug");
        vm.server("PORT").set(" 8080 ");
        vm.save();
        assertTrue(vm.restartNoteProperty().get().contains("after a restart"), vm.restartNoteProperty().get());
        assertEquals(Map.of("LOG_LEVEL", "debug", "PORT", "8080"), current.get().serverOverrides());
        assertTrue(Files.readString(dataDir.resolve("settings.properties")).contains("server.LOG_LEVEL=debug"));

        SettingsViewModel.ServerSetting level = SettingsViewModel.SERVER_SETTINGS.stream()
                .filter(s -> s.variable().equals("LOG_LEVEL")).findFirst().orElseThrow();
        assertEquals(List.of("debug", "info", "warn", "error"), level.choices());
        assertEquals("Log level", level.label());
        assertTrue(SettingsViewModel.SERVER_SETTINGS.stream().filter(s -> s.variable().equals("RUN_ADAPTER"))
                .allMatch(SettingsViewModel.ServerSetting::fixedChoices));
        assertEquals(DesktopSettings.SERVER_SETTING_NAMES,
                SettingsViewModel.SERVER_SETTINGS.stream().map(SettingsViewModel.ServerSetting::variable).toList(),
                "the screen edits exactly the settings the launcher passes on");
    }

    @Test
    void aLaunchWithServerSaysTheWindowIsOnAnotherServerThanTheSavedChoice() {
        ServerEndpoint team = new ServerEndpoint("https://team.example.com/", "ask_key", false);
        DesktopSettings saved = DesktopSettings.defaults();
        String note = SettingsViewModel.launchOnlyNote(team, saved);
        assertTrue(note.startsWith("This window is connected to https://team.example.com for this launch only (--server)."), note);
        assertEquals("", SettingsViewModel.launchOnlyNote(team,
                saved.withRemote(DesktopSettings.Mode.REMOTE, "https://team.example.com/", "ask_key")), "saved and connected agree");
        assertTrue(SettingsViewModel.launchOnlyNote(team,
                saved.withRemote(DesktopSettings.Mode.REMOTE, "https://other.example.com", "ask_key")).contains("launch only"));
        assertEquals("", SettingsViewModel.launchOnlyNote(new ServerEndpoint("http://127.0.0.1:4000", "owner", true), saved),
                "the embedded server is always the saved choice's");
    }
}
