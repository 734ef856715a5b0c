package dev.appstrate.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The notification strip never moves the page under the pointer when its information's time is up. */
@ScreenTest
class MessageBarTest {
    MessageBar bar;
    Button add;
    Region sidebar;

    @Start
    void start(Stage stage) {
        bar = new MessageBar();
        add = new Button("Add and test");
        VBox page = new VBox(add); // a page whose foot is what the user sees: the strip's room moves it
        page.setAlignment(Pos.BOTTOM_LEFT);
        VBox.setVgrow(page, Priority.ALWAYS);
        VBox center = new VBox(page, bar);
        bar.holdWhilePointerOver(center.hoverProperty());
        HBox.setHgrow(center, Priority.ALWAYS);
        sidebar = new Region();
        sidebar.setPrefWidth(200);
        stage.setScene(new Scene(new HBox(sidebar, center), 700, 400));
        stage.show();
    }

    private double addY() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> add.localToScreen(add.getBoundsInLocal()).getMinY()).get();
    }

    @Test
    void timeUpWithThePointerOnThePageWaitsUntilItLeaves(FxRobot robot) throws Exception {
        robot.interact(() -> bar.info("Model added and tested"));
        // the strip takes its room on the window's next pulse, and the pointer's move reaches the scene through the X
        // server: measure and time out only once both have happened
        UiTesting.waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> bar.getHeight() > 0).get());
        robot.moveTo(add);
        UiTesting.waitUntil(add::isHover);
        double before = addY();
        robot.interact(bar::timeUp);
        assertTrue(bar.isVisible(), "still shown while the pointer is over the page");
        assertEquals(before, addY(), "the button did not move under the pointer");
        robot.clickOn(add);
        robot.moveTo(sidebar);
        UiTesting.waitUntil(() -> !bar.isVisible());
    }

    @Test
    void timeUpWithThePointerElsewhereHidesAtOnce(FxRobot robot) throws Exception {
        robot.moveTo(sidebar);
        UiTesting.waitUntil(sidebar::isHover);
        robot.interact(() -> bar.info("Saved"));
        robot.interact(bar::timeUp);
        assertFalse(bar.isVisible());
        robot.interact(() -> bar.info("Saved again"));
        assertTrue(bar.isVisible(), "a new message shows again");
    }
}
