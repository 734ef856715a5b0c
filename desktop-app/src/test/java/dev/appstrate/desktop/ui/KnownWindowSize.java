package dev.appstrate.desktop.ui;

import javafx.stage.Stage;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Puts the shared primary stage back to one size before each screen test: a class that shrank it to 900 × 600 (or
 * maximized it) made the next class's results depend on the order the classes ran in.
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
        }
    }
}
