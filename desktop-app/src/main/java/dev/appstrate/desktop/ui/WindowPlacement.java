package dev.appstrate.desktop.ui;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window's size, position and maximized state, kept in {@code window.properties} in the data folder
 * and restored entirely on a screen that exists now (a monitor may have been unplugged since).
 */
public record WindowPlacement(double x, double y, double width, double height, boolean maximized) {
    private static final Logger LOG = LoggerFactory.getLogger(WindowPlacement.class);
    static final String FILE_NAME = "window.properties";
    static final double DEFAULT_WIDTH = 1240;
    static final double DEFAULT_HEIGHT = 800;
    static final double MIN_WIDTH = 900;
    static final double MIN_HEIGHT = 600;

    /** The saved placement, or null when there is none (first launch) or it is unreadable. */
    public static WindowPlacement load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return new WindowPlacement(Double.parseDouble(p.getProperty("x")), Double.parseDouble(p.getProperty("y")),
                    Double.parseDouble(p.getProperty("width")), Double.parseDouble(p.getProperty("height")),
                    Boolean.parseBoolean(p.getProperty("maximized")));
        } catch (IOException | RuntimeException e) {
            LOG.info("Window placement unreadable, using the default path={} error={}", file, e.toString());
            return null;
        }
    }

    /** What {@code stage} shows now (its size before maximizing is not known to JavaFX: the current one is kept). */
    public static WindowPlacement of(Stage stage) {
        return new WindowPlacement(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
    }

    public void save(Path dataDir) {
        Properties p = new Properties();
        p.setProperty("x", String.valueOf(x));
        p.setProperty("y", String.valueOf(y));
        p.setProperty("width", String.valueOf(width));
        p.setProperty("height", String.valueOf(height));
        p.setProperty("maximized", String.valueOf(maximized));
        try {
            StringWriter out = new StringWriter();
            p.store(out, "Appstrate Desktop main window");
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(FILE_NAME), out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Saving the window placement failed dir={} error={}", dataDir, e.toString());
        }
    }

    /**
     * This placement moved and shrunk as needed so that the whole window, title bar included, lies on one of
     * {@code screens} (the first being the primary): on the one it overlaps most, or centred on the primary when it
     * overlaps none (a monitor unplugged since).
     */
    public WindowPlacement fittedTo(List<Rectangle2D> screens) {
        Rectangle2D best = screens.get(0);
        double bestOverlap = 0;
        for (Rectangle2D s : screens) {
            double overlap = Math.max(0, Math.min(x + width, s.getMaxX()) - Math.max(x, s.getMinX()))
                    * Math.max(0, Math.min(y + height, s.getMaxY()) - Math.max(y, s.getMinY()));
            if (overlap > bestOverlap) {
                bestOverlap = overlap;
                best = s;
            }
        }
        double w = Math.min(Math.max(width, Math.min(MIN_WIDTH, best.getWidth())), best.getWidth());
        double h = Math.min(Math.max(height, Math.min(MIN_HEIGHT, best.getHeight())), best.getHeight());
        if (bestOverlap == 0) {
            return new WindowPlacement(0, 0, w, h, maximized).centredOn(best);
        }
        double nx = Math.max(best.getMinX(), Math.min(x, best.getMaxX() - w));
        double ny = Math.max(best.getMinY(), Math.min(y, best.getMaxY() - h));
        return new WindowPlacement(nx, ny, w, h, maximized);
    }

    /**
     * Places {@code stage}: the saved placement fitted to today's screens, or a default size centred on the primary
     * screen. Applied before showing and once more when shown: under GTK a window may be created at its minimum
     * size, ignoring the size asked for before it was mapped.
     */
    public static void restore(Stage stage, WindowPlacement saved) {
        Rectangle2D primary = Screen.getPrimary().getVisualBounds();
        List<Rectangle2D> screens = screens();
        WindowPlacement p = saved != null ? saved.fittedTo(screens)
                : new WindowPlacement(0, 0, DEFAULT_WIDTH, DEFAULT_HEIGHT, false).centredOn(primary).fittedTo(List.of(primary));
        p.applyTo(stage);
        if (!stage.isShowing()) {
            stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, new javafx.event.EventHandler<>() {
                @Override
                public void handle(javafx.stage.WindowEvent e) {
                    stage.removeEventHandler(javafx.stage.WindowEvent.WINDOW_SHOWN, this);
                    p.applyTo(stage);
                    stage.setMinWidth(Math.min(MIN_WIDTH, primary.getWidth()));
                    stage.setMinHeight(Math.min(MIN_HEIGHT, primary.getHeight()));
                    keepFrameOnScreen(stage);
                }
            });
        }
    }

    /**
     * Once the window manager has framed {@code stage}, moves it, if it is not, entirely onto the screen it is on (centred
     * on the primary when on none). A position asked for before the frame was known may place the content there, with
     * the title bar above the screen's top (openbox at 0,0), where the window can no longer be dragged.
     */
    static void keepFrameOnScreen(Stage stage) {
        javafx.beans.InvalidationListener[] check = new javafx.beans.InvalidationListener[1];
        int[] moves = {0};
        check[0] = o -> {
            javafx.scene.Scene scene = stage.getScene();
            boolean framed = scene != null && stage.getHeight() - scene.getHeight() > 0.5;
            // a window manager that keeps refusing the move is not fought for ever
            if (!stage.isShowing() || framed && onScreen(stage) || moves[0] > 5) {
                stage.xProperty().removeListener(check[0]);
                stage.yProperty().removeListener(check[0]);
                stage.heightProperty().removeListener(check[0]);
                if (scene != null) {
                    scene.heightProperty().removeListener(check[0]);
                }
            } else if (framed && !stage.isMaximized() && !stage.isFullScreen() && !stage.isIconified()) {
                WindowPlacement fitted = of(stage).fittedTo(screens());
                moves[0]++;
                stage.setX(fitted.x);
                stage.setY(fitted.y);
            }
        };
        stage.xProperty().addListener(check[0]);
        stage.yProperty().addListener(check[0]);
        stage.heightProperty().addListener(check[0]);
        if (stage.getScene() != null) {
            stage.getScene().heightProperty().addListener(check[0]);
        }
        check[0].invalidated(null);
    }

    /** Today's screens' visual bounds, the primary first. */
    private static List<Rectangle2D> screens() {
        Rectangle2D primary = Screen.getPrimary().getVisualBounds();
        List<Rectangle2D> screens = new java.util.ArrayList<>(List.of(primary));
        Screen.getScreens().stream().map(Screen::getVisualBounds).filter(b -> !b.equals(primary)).forEach(screens::add);
        return screens;
    }

    /** Whether the whole of {@code stage}, its frame included, lies on one screen (a maximized window always does). */
    static boolean onScreen(Stage stage) {
        if (stage.isMaximized() || stage.isFullScreen()) {
            return true;
        }
        return Screen.getScreens().stream().map(Screen::getVisualBounds).anyMatch(b -> stage.getX() >= b.getMinX() - 0.5
                && stage.getY() >= b.getMinY() - 0.5 && stage.getX() + Math.min(stage.getWidth(), b.getWidth()) <= b.getMaxX() + 0.5
                && stage.getY() + Math.min(stage.getHeight(), b.getHeight()) <= b.getMaxY() + 0.5);
    }

    private void applyTo(Stage stage) {
        stage.setX(x);
        stage.setY(y);
        stage.setWidth(width);
        stage.setHeight(height);
        stage.setMaximized(maximized);
    }

    private WindowPlacement centredOn(Rectangle2D screen) {
        return new WindowPlacement(screen.getMinX() + (screen.getWidth() - width) / 2,
                screen.getMinY() + (screen.getHeight() - height) / 2, width, height, maximized);
    }
}
