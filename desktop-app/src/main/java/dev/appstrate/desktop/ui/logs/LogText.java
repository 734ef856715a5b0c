package dev.appstrate.desktop.ui.logs;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javafx.scene.control.ListView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/** Log lines as text: the selected rows (for the clipboard) and the kept lines (for a file). */
final class LogText {
    private LogText() {
    }

    /** Text of the selected rows, in order, as shown. */
    static String selected(ListView<LogLine> list, boolean withTime) {
        List<Integer> idx = new ArrayList<>(list.getSelectionModel().getSelectedIndices());
        Collections.sort(idx);
        List<LogLine> items = list.getItems();
        StringBuilder sb = new StringBuilder();
        for (int i : idx) {
            if (i >= 0 && i < items.size()) {
                sb.append(items.get(i).format(withTime)).append('\n');
            }
        }
        return sb.toString();
    }

    static void toClipboard(String text) {
        if (!text.isEmpty()) {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            Clipboard.getSystemClipboard().setContent(c);
        }
    }

    static void write(List<LogLine> lines, Path file) throws IOException {
        List<LogLine> snapshot = new ArrayList<>(lines);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LogLine l : snapshot) {
                w.write(l.exportText());
                w.write('\n');
            }
        }
    }
}
