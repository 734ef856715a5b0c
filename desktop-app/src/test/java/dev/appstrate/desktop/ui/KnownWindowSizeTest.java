package dev.appstrate.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A screen test that shrinks the shared window leaves the next test (of any class) the known size, whatever the order. */
@ScreenTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KnownWindowSizeTest {
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new Label("a screen"), 400, 300));
        stage.show();
    }

    @Test
    @Order(1)
    void aTestShrinksTheWindowToTheMinimumAndLeavesItSo(FxRobot robot) throws Exception {
        UiTesting.windowSize(stage, WindowPlacement.MIN_WIDTH, WindowPlacement.MIN_HEIGHT);
    }

    @Test
    @Order(2)
    void theNextTestStartsAtTheKnownSize() throws Exception {
        double[] size = WaitForAsyncUtils.asyncFx(() -> new double[] {stage.getWidth(), stage.getHeight()}).get();
        assertEquals(KnownWindowSize.WIDTH, size[0], 1);
        assertEquals(KnownWindowSize.HEIGHT, size[1], 1);
    }
}
