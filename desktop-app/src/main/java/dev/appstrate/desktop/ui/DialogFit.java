package dev.appstrate.desktop.ui;

import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Dialog;
import javafx.scene.control.DialogEvent;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;

/**
 * How every dialog and secondary window sits under a real window manager: owned by the main window,
 * resizable, at least as large as its content wants (that is also its minimum), centred on its owner and
 * entirely on the owner's screen. JavaFX sizes a dialog before a real window manager adds decorations and
 * sometimes before CSS is applied, so the size is settled again once the window is shown.
 */
public final class DialogFit {
    private DialogFit() {
    }

    /** What a dialog's frame, header and button bar take beyond its content, about (openbox, GTK, the default theme). */
    private static final double DIALOG_CHROME = 170;
    /** A scrolling content never shrinks below this: a few fields stay visible at once. */
    private static final double MIN_SCROLLING_HEIGHT = 200;

    /**
     * {@code content} in a scroll pane that wants no more height than fits inside {@code owner} with the dialog's header and
     * buttons: a long form (an agent's many input fields) scrolls inside the dialog, whose buttons stay reachable, instead
     * of making the dialog taller than the main window or the screen.
     */
    public static javafx.scene.control.ScrollPane scrolling(javafx.scene.Node content, Window owner) {
        javafx.scene.control.ScrollPane pane = new javafx.scene.control.ScrollPane(content) {
            @Override
            protected double computePrefHeight(double width) {
                double full = super.computePrefHeight(width);
                return owner == null || owner.getHeight() <= 0 ? full
                        : Math.min(full, Math.max(MIN_SCROLLING_HEIGHT, owner.getHeight() - DIALOG_CHROME));
            }

            @Override
            protected double computePrefWidth(double height) {
                return super.computePrefWidth(height) + 16; // room for the scroll bar, so the fields need not narrow
            }
        };
        pane.setFitToWidth(true);
        pane.getStyleClass().add("dialog-scroll");
        return pane;
    }

    /** Owns, makes resizable and fits {@code dialog} each time it is shown. */
    public static void apply(Dialog<?> dialog, Window owner) {
        if (owner != null && dialog.getOwner() == null) {
            dialog.initOwner(owner);
        }
        dialog.setResizable(true);
        dialog.addEventHandler(DialogEvent.DIALOG_SHOWN, e -> {
            Stage stage = (Stage) dialog.getDialogPane().getScene().getWindow();
            fit(stage, owner);
            growWithContent(stage, owner);
        });
    }

    /** The same for a plain secondary stage (e.g. a settings sheet). */
    public static void apply(Stage stage, Window owner) {
        if (owner != null && stage.getOwner() == null) {
            stage.initOwner(owner);
        }
        stage.setResizable(true);
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, e -> {
            fit(stage, owner);
            growWithContent(stage, owner);
        });
    }

    /**
     * Sizes {@code stage} to its content's preferred size (the window manager adds its frame), makes that the minimum,
     * centres it on {@code owner} and keeps it entirely on the screen. The frame's size and the final window size
     * arrive from the window manager after this call, so placement is settled again as they come, until it fits.
     */
    public static void fit(Stage stage, Window owner) {
        Scene scene = stage.getScene();
        if (scene == null || scene.getRoot() == null) {
            return;
        }
        scene.getRoot().applyCss();
        scene.getRoot().layout();
        stage.sizeToScene();
        if (!settle(stage, owner)) {
            javafx.beans.InvalidationListener[] again = new javafx.beans.InvalidationListener[1];
            again[0] = o -> {
                if (settle(stage, owner) || !stage.isShowing()) {
                    stage.widthProperty().removeListener(again[0]);
                    stage.heightProperty().removeListener(again[0]);
                    scene.widthProperty().removeListener(again[0]);
                    scene.heightProperty().removeListener(again[0]);
                }
            };
            stage.widthProperty().addListener(again[0]);
            stage.heightProperty().addListener(again[0]);
            scene.widthProperty().addListener(again[0]);
            scene.heightProperty().addListener(again[0]);
        }
    }

    /** One placement pass; true when the window is framed, at least its content's size (or the screen's), and placed. */
    private static boolean settle(Stage stage, Window owner) {
        Scene scene = stage.getScene();
        Parent root = scene.getRoot();
        Rectangle2D screen = screenOf(owner != null ? owner : stage);
        double decoW = Math.max(0, stage.getWidth() - scene.getWidth());
        double decoH = Math.max(0, stage.getHeight() - scene.getHeight());
        double prefW = Math.min(Math.ceil(root.prefWidth(-1)), screen.getWidth() - decoW);
        double prefH = Math.min(Math.ceil(root.prefHeight(-1)), screen.getHeight() - decoH); // -1: GridPane can loop on a given width
        stage.setMinWidth(prefW + decoW);
        stage.setMinHeight(prefH + decoH);
        if (stage.getWidth() > screen.getWidth()) {
            stage.setWidth(screen.getWidth());
        }
        if (stage.getHeight() > screen.getHeight()) {
            stage.setHeight(screen.getHeight());
        }
        centreOn(stage, owner, screen);
        boolean framed = decoH > 0 || !stage.isShowing();
        return framed && scene.getWidth() + 1 >= prefW && scene.getHeight() + 1 >= prefH;
    }

    /**
     * Content replaced while shown (another agent's input form): the window takes its content's height and at least
     * its width, and keeps its top-left so what is under the pointer stays put; only moved to stay on the screen.
     */
    public static void refit(Stage stage) {
        Scene scene = stage.getScene();
        if (scene == null || scene.getRoot() == null || !stage.isShowing()) {
            return;
        }
        // the frame first: laying out below fires growWithContent, which resizes the window before the scene follows
        double decoW = Math.max(0, stage.getWidth() - scene.getWidth());
        double decoH = Math.max(0, stage.getHeight() - scene.getHeight());
        Parent root = scene.getRoot();
        root.applyCss();
        root.layout();
        sizeToContent(stage, root, decoW, decoH, true);
    }

    /**
     * The window at least its content's preferred size (never past the screen), its height exactly that when
     * {@code exactHeight}, kept at its top-left and only moved to stay on the screen.
     */
    private static void sizeToContent(Stage stage, Parent root, double decoW, double decoH, boolean exactHeight) {
        Rectangle2D screen = screenOf(stage);
        double prefW = Math.min(Math.ceil(root.prefWidth(-1)), screen.getWidth() - decoW);
        double prefH = Math.min(Math.ceil(root.prefHeight(-1)), screen.getHeight() - decoH);
        stage.setMinWidth(prefW + decoW);
        stage.setMinHeight(prefH + decoH);
        stage.setWidth(Math.max(stage.getWidth(), prefW + decoW));
        stage.setHeight(exactHeight ? prefH + decoH : Math.max(stage.getHeight(), prefH + decoH));
        stage.setX(clamp(stage.getX(), screen.getMinX(), screen.getMaxX() - stage.getWidth()));
        stage.setY(clamp(stage.getY(), screen.getMinY(), screen.getMaxY() - stage.getHeight()));
    }

    /** Content that grows after showing (a form loaded, a preview computed) grows the window, never past the screen. */
    private static void growWithContent(Stage stage, Window owner) {
        Parent root = stage.getScene().getRoot();
        if (root.getProperties().containsKey(DialogFit.class)) {
            return;
        }
        root.getProperties().put(DialogFit.class, Boolean.TRUE);
        root.needsLayoutProperty().addListener((o, was, needs) -> {
            if (needs || !stage.isShowing()) {
                return;
            }
            Scene scene = stage.getScene();
            Rectangle2D screen = screenOf(stage);
            double decoW = Math.max(0, stage.getWidth() - scene.getWidth());
            double decoH = Math.max(0, stage.getHeight() - scene.getHeight());
            double prefW = Math.min(Math.ceil(root.prefWidth(-1)), screen.getWidth() - decoW);
            double prefH = Math.min(Math.ceil(root.prefHeight(-1)), screen.getHeight() - decoH);
            if (scene.getWidth() + 1 < prefW || scene.getHeight() + 1 < prefH) {
                sizeToContent(stage, root, decoW, decoH, false);
            }
        });
    }

    /** Centres {@code stage} on {@code owner} (or the screen), then moves it so that all of it is on the screen. */
    public static void centreOn(Window stage, Window owner, Rectangle2D screen) {
        double w = stage.getWidth();
        double h = stage.getHeight();
        double x = owner != null && owner.isShowing() ? owner.getX() + (owner.getWidth() - w) / 2 : screen.getMinX() + (screen.getWidth() - w) / 2;
        double y = owner != null && owner.isShowing() ? owner.getY() + (owner.getHeight() - h) / 2 : screen.getMinY() + (screen.getHeight() - h) / 2;
        stage.setX(clamp(x, screen.getMinX(), screen.getMaxX() - w));
        stage.setY(clamp(y, screen.getMinY(), screen.getMaxY() - h));
    }

    /** The visual bounds of the screen showing most of {@code w} (the primary screen when it is not placed yet). */
    public static Rectangle2D screenOf(Window w) {
        if (w != null && !Double.isNaN(w.getX()) && w.getWidth() > 0) {
            var screens = Screen.getScreensForRectangle(w.getX(), w.getY(), Math.max(1, w.getWidth()), Math.max(1, w.getHeight()));
            if (!screens.isEmpty()) {
                return screens.get(0).getVisualBounds();
            }
        }
        return Screen.getPrimary().getVisualBounds();
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(v, Math.max(min, max)));
    }
}
