package dev.appstrate.desktop.ui.logs;

import dev.appstrate.desktop.ui.Plural;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/** The line under the live log ("1,234 lines shown · 1,234 kept · live") and the empty list's placeholder text. */
final class LogStatusBar extends HBox {
    private static final char GROUPING =
            DecimalFormatSymbols.getInstance(Locale.getDefault(Locale.Category.FORMAT)).getGroupingSeparator();
    private final Label status = new Label();
    private final Label empty = new Label("No log lines yet");

    LogStatusBar() {
        status.getStyleClass().add("log-status");
        status.setId("log-status");
        getChildren().add(status);
        setPadding(new Insets(3, 6, 3, 6));
        empty.setId("log-empty");
        empty.getStyleClass().add("muted");
    }

    /** {@code n} with the format locale's grouping separator every three digits, as {@code %,d} writes it. */
    static StringBuilder grouped(StringBuilder sb, long n) {
        String digits = Long.toString(Math.abs(n));
        if (n < 0) {
            sb.append('-');
        }
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                sb.append(GROUPING);
            }
            sb.append(digits.charAt(i));
        }
        return sb;
    }

    /** The list's placeholder. */
    Label emptyLabel() {
        return empty;
    }

    /** Labels change only when their text does (a text change costs a layout pass). */
    void show(LogWindowModel model, LogFeed feed) {
        String state = feed.status();
        long dropped = feed.dropped();
        int shown = model.shown().size();
        int kept = model.kept().size();
        // written by hand, not String.format: this runs on every changed frame, and the Formatter was a sixth of the drain
        StringBuilder sb = new StringBuilder(64);
        grouped(sb, shown).append(shown == 1 ? " line" : " lines").append(" shown · ");
        grouped(sb, kept).append(" kept");
        if (model.paused()) {
            sb.append(" · paused");
        }
        if (dropped > 0) {
            grouped(sb.append(" · "), dropped).append(" dropped (view behind)");
        }
        if (!state.isEmpty()) {
            sb.append(" · ").append(state);
        }
        String text = sb.toString();
        if (!text.equals(status.getText())) {
            status.setText(text);
        }
        String none = kept == 0 ? "No log lines yet"
                : "No line at level " + model.minLevel().name().toLowerCase(Locale.ROOT) + " or above ("
                        + Plural.of(kept, "line") + " kept at lower levels)";
        if (!none.equals(empty.getText())) {
            empty.setText(none);
        }
    }
}
