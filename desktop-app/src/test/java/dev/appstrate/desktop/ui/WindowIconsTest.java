package dev.appstrate.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.framework.junit5.Start;

/** The window carries the app icon at every packaged size instead of the default Java cup. */
@ScreenTest
class WindowIconsTest {
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        WindowIcons.applyTo(stage);
    }

    @Test
    void everyPackagedSizeLoadsAndIsSetOnTheWindow() {
        List<Image> icons = stage.getIcons();
        assertEquals(WindowIcons.SIZES.length, icons.size());
        for (int i = 0; i < icons.size(); i++) {
            assertFalse(icons.get(i).isError(), "icon " + WindowIcons.SIZES[i] + " failed to load");
            assertEquals(WindowIcons.SIZES[i], (int) icons.get(i).getWidth());
        }
    }
}
