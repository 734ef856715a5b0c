package dev.appstrate.desktop.ui;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TableView;

/**
 * The one way a table keeps what the user selected while its rows are replaced (a refresh, a live update, a poll, a
 * re-sort): the same rows, by id, stay selected and the same row focused, wherever they moved. A selected row that is
 * gone leaves nothing selected and the focus at its old place; if a later load lists it again, it is selected again.
 * <p>
 * Pages read the selection from {@link #selectedItem()}, never from the table's selection model: it changes only when
 * what is selected changes. The table itself drops its selection for a moment inside each replacement, and a detail
 * pane following it reloaded (and blanked) on every refresh.
 */
public final class KeptSelection<T> {
    private final TableView<T> table;
    private final Function<T, String> idOf;
    private final ReadOnlyObjectWrapper<T> selected = new ReadOnlyObjectWrapper<>(this, "selectedItem");
    /** The ids the user selected, kept while a replacement drops their rows. */
    private Set<String> wanted = Set.of();
    private String focusedId;
    private int focusedAt = -1;
    private boolean replacing;

    /** A table over {@code rows} that keeps its selection by {@code idOf} whenever {@code rows} (or what it derives from) changes. */
    public static <T> KeptSelection<T> table(ObservableList<T> rows, Function<T, String> idOf) {
        return new KeptSelection<>(rows, idOf);
    }

    private KeptSelection(ObservableList<T> rows, Function<T, String> idOf) {
        this.idOf = idOf;
        // listeners run in the order added: this one before the table's selection and focus models drop the selection…
        rows.addListener((ListChangeListener<T>) c -> replacing = true);
        this.table = new TableView<>(rows);
        // …and this one after they did, to select again what the user had selected
        rows.addListener((ListChangeListener<T>) c -> restore());
        var sm = table.getSelectionModel();
        sm.getSelectedItems().addListener((ListChangeListener<T>) c -> userChanged());
        sm.selectedItemProperty().addListener((o, was, now) -> userChanged());
        table.getFocusModel().focusedIndexProperty().addListener((o, was, now) -> userChanged());
    }

    public TableView<T> table() {
        return table;
    }

    /** The selected row (the last one selected when several are), unchanged while a replacement keeps it. */
    public ReadOnlyObjectProperty<T> selectedItem() {
        return selected.getReadOnlyProperty();
    }

    public T getSelectedItem() {
        return selected.get();
    }

    /** Selects the row with this id, now if listed, else once a load lists it (a schedule just saved). */
    public void select(String id) {
        wanted = id == null ? Set.of() : Set.of(id);
        replacing = true;
        restore();
    }

    /** The user (or the page) selected or focused rows: remembered, unless a replacement is under way. */
    private void userChanged() {
        if (replacing) {
            return;
        }
        wanted = table.getSelectionModel().getSelectedItems().stream().map(idOf).collect(Collectors.toSet());
        T focused = table.getFocusModel().getFocusedItem();
        focusedId = focused == null ? null : idOf.apply(focused);
        focusedAt = table.getFocusModel().getFocusedIndex();
        selected.set(table.getSelectionModel().getSelectedItem());
    }

    private void restore() {
        var sm = table.getSelectionModel();
        List<T> items = table.getItems();
        List<Integer> at = new ArrayList<>();
        int focus = -1;
        for (int i = 0; i < items.size(); i++) {
            String id = idOf.apply(items.get(i));
            if (wanted.contains(id)) {
                at.add(i);
            }
            if (id.equals(focusedId)) {
                focus = i;
            }
        }
        if (!new HashSet<>(sm.getSelectedIndices()).equals(new HashSet<>(at))) {
            sm.clearSelection();
            at.forEach(sm::select);
        }
        if (focus < 0 && focusedAt >= 0 && !items.isEmpty()) {
            focus = Math.min(focusedAt, items.size() - 1); // the focused row is gone: the focus stays where it was
        }
        if (focus >= 0 && table.getFocusModel().getFocusedIndex() != focus) {
            table.getFocusModel().focus(focus);
        }
        replacing = false;
        Set<String> kept = wanted;
        userChanged();
        wanted = kept; // a row that is gone for now is selected again when it comes back
    }
}
