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
        WaitForAsyncUtils.asyncFx(() -> {
            stage.setFullScreen(false);
            stage.setMaximized(false);
            stage.setMinWidth(0);
            stage.setMinHeight(0);
            if (!stage.isShowing()) {
                stage.setWidth(WIDTH);
                stage.setHeight(HEIGHT);
            }
        }).get();
        if (WaitForAsyncUtils.asyncFx(stage::isShowing).get()) {
            // a real window manager applies the size asynchronously, and a frame off when asked before it framed the window
            UiTesting.windowSize(stage, WIDTH, HEIGHT);
            // and the place: a window centred at the minimum size and grown back from there had its right part and its
            // last sidebar entry off the screen, where a click lands nowhere (Settings was never shown)
            javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
            WaitForAsyncUtils.asyncFx(() -> {
                stage.setX(screen.getMinX());
                stage.setY(screen.getMinY());
            }).get();
            try {
                UiTesting.waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> Math.abs(stage.getX() - screen.getMinX()) <= 2
                        && Math.abs(stage.getY() - screen.getMinY()) <= 2).get());
            } catch (java.util.concurrent.TimeoutException e) {
                System.out.println("[known window] not moved to the screen's corner: at " + stage.getX() + "," + stage.getY());
            }
        }
    }
}
