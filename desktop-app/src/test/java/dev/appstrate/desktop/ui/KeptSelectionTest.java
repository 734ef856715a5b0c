package dev.appstrate.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.scene.Scene;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A table's selection and focus across replacements of its rows, as every page's table keeps them. */
@ScreenTest
class KeptSelectionTest {
    record Row(String id, String text) {
    }

    final ObservableList<Row> rows = FXCollections.observableArrayList();
    KeptSelection<Row> kept;
    /** Every value the page's selection took, in order. */
    final List<String> seen = new ArrayList<>();

    @Start
    void start(Stage stage) {
        SortedList<Row> sorted = new SortedList<>(rows);
        kept = KeptSelection.table(sorted, Row::id);
        TableView<Row> table = kept.table();
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.getColumns().setAll(List.of(Columns.text("Text", Row::text, 200)));
        kept.selectedItem().addListener((o, was, now) -> seen.add(now == null ? null : now.id() + "=" + now.text()));
        rows.setAll(row("a", "1"), row("b", "1"), row("c", "1"), row("d", "1"));
        stage.setScene(new Scene(table, 300, 300));
        stage.show();
    }

    private static Row row(String id, String text) {
        return new Row(id, text);
    }

    private <V> V fx(java.util.concurrent.Callable<V> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get();
    }

    private String selectedId() throws Exception {
        return fx(() -> kept.getSelectedItem() == null ? null : kept.getSelectedItem().id());
    }

    @Test
    void theSelectedRowStaysSelectedAndFocusedWhereverItMovesWithNoMomentWithoutIt(FxRobot robot) throws Exception {
        robot.interact(() -> kept.table().getSelectionModel().select(1));
        seen.clear();
        String[] during = new String[1];
        robot.interact(() -> {
            rows.setAll(row("x", "1"), row("c", "2"), row("a", "2"), row("d", "2"), row("b", "2"));
            during[0] = kept.table().getSelectionModel().getSelectedItem().id(); // before any later pulse
        });
        assertEquals("b", during[0], "selected again inside the replacement, not later");
        assertEquals(List.of("b=2"), seen, "the page saw the refreshed row, never an empty selection");
        assertEquals(4, (int) fx(() -> kept.table().getFocusModel().getFocusedIndex()), "the focus moved with it");
    }

    @Test
    void aRowThatIsGoneLeavesNothingSelectedTheFocusInPlaceAndIsSelectedAgainWhenItComesBack(FxRobot robot) throws Exception {
        robot.interact(() -> kept.table().getSelectionModel().select(2));
        robot.interact(() -> rows.setAll(row("a", "1"), row("b", "1"), row("d", "1")));
        assertNull(selectedId());
        assertEquals(2, (int) fx(() -> kept.table().getFocusModel().getFocusedIndex()), "the keyboard goes on from where it was");
        robot.interact(() -> rows.setAll(row("a", "1"), row("b", "1"), row("c", "3"), row("d", "1")));
        assertEquals("c", selectedId());
    }

    @Test
    void severalSelectedRowsStaySelectedAcrossAReloadAndAResort(FxRobot robot) throws Exception {
        robot.interact(() -> kept.table().getSelectionModel().selectIndices(0, 3));
        robot.interact(() -> rows.setAll(row("d", "2"), row("b", "2"), row("a", "2"), row("c", "2")));
        assertEquals(List.of("a", "d"), fx(() -> kept.table().getSelectionModel().getSelectedItems().stream().map(Row::id).sorted().toList()));
        robot.interact(() -> {
            TableColumn<Row, ?> text = kept.table().getColumns().get(0);
            text.setSortType(TableColumn.SortType.DESCENDING);
            kept.table().getSortOrder().setAll(List.of(text));
        });
        assertEquals(List.of("a", "d"), fx(() -> kept.table().getSelectionModel().getSelectedItems().stream().map(Row::id).sorted().toList()));
    }

    @Test
    void aRowSelectedByIdBeforeItIsListedIsSelectedOnceALoadListsIt(FxRobot robot) throws Exception {
        robot.interact(() -> kept.table().getSelectionModel().select(0));
        robot.interact(() -> kept.select("new"));
        assertNull(selectedId(), "not listed yet");
        robot.interact(() -> rows.setAll(row("a", "1"), row("new", "1")));
        assertEquals("new", selectedId());
        assertEquals(1, (int) fx(() -> kept.table().getSelectionModel().getSelectedIndices().size()));
    }
}
