package dev.appstrate.desktop.ui;

import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.ScrollPane;

/** Scrolls the page so that all of a node is in view, moving it as little as that takes. */
public final class Reveal {
    private Reveal() {
    }

    /** After the coming layout (a label that just got its text has no height yet), reveals {@code node} in full. */
    public static void later(Node node) {
        Platform.runLater(() -> fully(node));
    }

    /** Scrolls the nearest enclosing scroll pane so that {@code node} is entirely inside its viewport. */
    public static void fully(Node node) {
        ScrollPane pane = enclosing(node);
        if (pane == null || pane.getContent() == null || node.getScene() == null) {
            return;
        }
        // the content's final height and the node's place are known only once laid out
        pane.applyCss();
        pane.layout();
        Node content = pane.getContent();
        Bounds b = content.sceneToLocal(node.localToScene(node.getLayoutBounds()));
        double view = pane.getViewportBounds().getHeight();
        double range = content.getLayoutBounds().getHeight() - view;
        if (range <= 0 || b == null) {
            return;
        }
        double span = pane.getVmax() - pane.getVmin();
        double top = (pane.getVvalue() - pane.getVmin()) / span * range;
        double wanted = top;
        if (b.getMinY() < top || b.getHeight() > view) {
            wanted = b.getMinY(); // its first line first when it is taller than the view
        } else if (b.getMaxY() > top + view) {
            wanted = b.getMaxY() - view;
        }
        if (wanted != top) {
            pane.setVvalue(pane.getVmin() + Math.max(0, Math.min(range, wanted)) / range * span);
        }
    }

    private static ScrollPane enclosing(Node node) {
        for (Parent p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof ScrollPane s) {
                return s;
            }
        }
        return null;
    }
}
