package dev.appstrate.desktop.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the original's reference material is: {@code ../shared/reference} beside the repository (CI's clone too). */
final class Reference {
    private Reference() {
    }

    static Path file(String name) {
        for (String dir : List.of("../shared/reference", "../../shared/reference", "/work/shared/reference")) {
            Path p = Path.of(dir, name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new IllegalStateException(name + " not found in ../shared/reference (cwd " + Path.of("").toAbsolutePath() + ")");
    }
}
