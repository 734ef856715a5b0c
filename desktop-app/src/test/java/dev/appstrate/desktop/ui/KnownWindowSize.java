package dev.appstrate.desktop.ui;

import javafx.stage.Stage;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Puts the shared primary stage back to one size, in the screen's top-left corner, before each screen test: a class
 * that shrank it to 900 × 600 (or maximized it) made the next class's results depend on the order the classes ran in.
 */
public final class KnownWindowSize implements BeforeEachCallback {
    public static final double WIDTH = 1280;
    public static final double HEIGHT = 820;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Stage stage = FxToolkit.toolkitContext().getRegisteredStage();
        if (stage == null) {
            return;
        }
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        WaitForAsyncUtils.asyncFx(() -> {
            stage.setFullScreen(false);
            stage.setMaximized(false);
            stage.setMinWidth(0);
            stage.setMinHeight(0);
            // size and place in one go (the window applies them together on its next pulse): a move asked for after a
            // size the window manager had applied brought the old size back. The place is part of it: a window centred
            // at the minimum size and grown back from there had its last sidebar entry off Monocle's screen.
            stage.setX(screen.getMinX());
            stage.setY(screen.getMinY());
            stage.setWidth(WIDTH);
            stage.setHeight(HEIGHT);
        }).get();
        if (WaitForAsyncUtils.asyncFx(stage::isShowing).get()) {
            // a real window manager applies the size asynchronously, and a frame off when asked before it framed the window
            UiTesting.windowSize(stage, WIDTH, HEIGHT);
        }
    }
}
