package dev.appstrate.desktop.agentdev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.appstrate.desktop.client.DesktopJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The "In development" folders, remembered across launches in {@code agent-folders.json} of the data folder. */
public final class AgentFolderList {
    private static final Logger LOG = LoggerFactory.getLogger(AgentFolderList.class);
    public static final String FILE_NAME = "agent-folders.json";
    private final Path file;

    public AgentFolderList(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public List<Path> load() {
        List<Path> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            JsonNode json = DesktopJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            json.path("folders").forEach(f -> out.add(Path.of(f.asText())));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Unreadable agent folder list path={} error={}", file, e.toString());
        }
        return out;
    }

    /** Written to a temporary file and moved, so a crash never leaves half a list. */
    public void save(List<Path> folders) throws IOException {
        ArrayNode arr = DesktopJson.MAPPER.createArrayNode();
        folders.forEach(p -> arr.add(p.toAbsolutePath().toString()));
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, DesktopJson.pretty(DesktopJson.object().set("folders", arr)), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
