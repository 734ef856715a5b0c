package dev.appstrate.desktop.ui;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/** The app icon at every size the packaging ships, so task bars and window titles pick the sharpest one. */
public final class WindowIcons {
    static final int[] SIZES = {16, 24, 32, 48, 64, 128, 256, 512};
    private static List<Image> icons;

    private WindowIcons() {
    }

    public static synchronized List<Image> all() {
        if (icons == null) {
            List<Image> loaded = new ArrayList<>();
            for (int size : SIZES) {
                try (InputStream in = WindowIcons.class.getResourceAsStream("/dev/appstrate/desktop/icons/appstrate-" + size + ".png")) {
                    if (in != null) {
                        loaded.add(new Image(in));
                    }
                } catch (java.io.IOException ignored) {
                    // a missing size only costs sharpness
                }
            }
            icons = List.copyOf(loaded);
        }
        return icons;
    }

    public static void applyTo(Stage stage) {
        stage.getIcons().setAll(all());
    }
}
