package dev.appstrate.server.runs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines a crashed runner printed, for the failure message (the runner redacts its own secrets). */
final class RunnerOutput {
    private RunnerOutput() {
    }

    static String tail(Path runDir) {
        Path log = runDir.resolve("runner.log");
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 5), lines.size());
            String text = String.join("\n", last).strip();
            return text.isEmpty() ? "" : ". Last output:\n" + (text.length() > 1500 ? text.substring(text.length() - 1500) : text);
        } catch (Exception e) {
            return "";
        }
    }
}
