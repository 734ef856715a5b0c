package dev.appstrate.desktop.ui;

import java.util.Comparator;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.Tooltip;

/**
 * Every table's columns, set up one way: text, status chips, numbers that sort as numbers, times that sort by time
 * and read as local time, and the full text on hover where a column cuts it off.
 */
public final class Columns {
    private Columns() {
    }

    /** A read-only text column computed from the row, sorted as text. */
    public static <T> TableColumn<T, String> text(String name, Function<T, String> f, double width) {
        TableColumn<T, String> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(f.apply(d.getValue())));
        c.setPrefWidth(width);
        keepHeaderWhole(c);
        return c;
    }

    /** A text column whose full text shows on hover (for values longer than the column, e.g. an error). */
    public static <T> TableColumn<T, String> textWithTooltip(String name, Function<T, String> f, double width) {
        return showing(text(name, f, width), (cell, s) -> {
            cell.setText(s);
            cell.setTooltip(s == null || s.isEmpty() ? null : new Tooltip(s));
        });
    }

    /** A column that shows its text as a status chip (status-&lt;text&gt; style), blank when empty. */
    public static <T> TableColumn<T, String> chip(String name, Function<T, String> f, double width) {
        return showing(text(name, f, width), (cell, s) -> cell.setGraphic(s == null || s.isEmpty() ? null : Widgets.chip(s)));
    }

    /** The same, never narrower than the widest of {@code values}' chips ("cancel…" at 1024 px wide otherwise). */
    public static <T> TableColumn<T, String> chip(String name, Function<T, String> f, double width, java.util.List<String> values) {
        TableColumn<T, String> c = chip(name, f, width);
        double widest = values.stream().mapToDouble(v -> textWidth(v, false, 11)).max().orElse(0);
        c.setMinWidth(Math.max(c.getMinWidth(), Math.min(width, widest + CHIP_PADDING + CELL_PADDING)));
        return c;
    }

    /** A chip's own left and right padding (base.css .chip). */
    private static final double CHIP_PADDING = 16;

    /** A number shown as {@code format} makes it ("19.5 s") but sorted by its value (428 ms before 19.5 s). */
    public static <T> TableColumn<T, Number> number(String name, ToLongFunction<T> f, LongFunction<String> format, double width) {
        TableColumn<T, Number> c = new TableColumn<>(name);
        c.setCellValueFactory(d -> new ReadOnlyLongWrapper(f.applyAsLong(d.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Number n, boolean empty) {
                super.updateItem(n, empty);
                setText(empty || n == null ? null : format.apply(n.longValue()));
            }
        });
        c.setPrefWidth(width);
        keepHeaderWhole(c);
        return c;
    }

    /** A column squeezed by a window's width (constrained tables) stops where its header would read "Sta…". */
    static void keepHeaderWhole(TableColumn<?, ?> c) {
        c.setMinWidth(Math.min(c.getPrefWidth(), textWidth(c.getText(), true) + CELL_PADDING));
    }

    /**
     * An ISO instant shown as local time ({@link Shown#when}), "" for none; sorted by the instant (ISO-8601 UTC
     * instants sort as text), with {@code none} shown where the value is empty ("never").
     */
    public static <T> TableColumn<T, String> time(String name, Function<T, String> iso, String none, double width) {
        TableColumn<T, String> c = text(name, iso, width);
        c.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
        return showing(c, (cell, s) -> cell.setText(s == null || s.isEmpty() ? none : Shown.when(s)));
    }

    /** A time as {@link #time} shows it, for {@link #atLeast}. */
    public static final String TIME_SAMPLE = Shown.when("2026-12-07T20:59:59Z");

    /**
     * {@code c} never narrower than {@code sample} reads whole (up to its preferred width): a constrained table squeezes
     * columns by their share of its width, so a time read "2026-12-07 16:06..." at 1024 px while the run id had room.
     * Mind the sum of a table's minimums at the smallest window (900 px): past it the table scrolls sideways.
     */
    public static <T, V> TableColumn<T, V> atLeast(TableColumn<T, V> c, String sample) {
        c.setMinWidth(Math.max(c.getMinWidth(), Math.min(c.getPrefWidth(), textWidth(sample, false) + CELL_PADDING)));
        return c;
    }

    /** Left and right padding of a cell, plus room for rounding. */
    private static final double CELL_PADDING = 24;

    private static double textWidth(String s, boolean bold) {
        return textWidth(s, bold, Math.max(javafx.scene.text.Font.getDefault().getSize(), 13)); // the theme's 13 px (base.css)
    }

    private static double textWidth(String s, boolean bold, double size) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
        t.setFont(javafx.scene.text.Font.font(javafx.scene.text.Font.getDefault().getFamily(), bold ? javafx.scene.text.FontWeight.BOLD
                : javafx.scene.text.FontWeight.NORMAL, size));
        return Math.ceil(t.getLayoutBounds().getWidth());
    }

    /** Cells that show a value through {@code show} and nothing (no text, graphic or tooltip) when empty. */
    private static <T> TableColumn<T, String> showing(TableColumn<T, String> c, BiConsumer<TableCell<T, String>, String> show) {
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(null);
                setGraphic(null);
                setTooltip(null);
                if (!empty) {
                    show.accept(this, s);
                }
            }
        });
        return c;
    }
}
