package dev.appstrate.desktop.ui.logs;

import java.util.List;
import javafx.collections.ObservableList;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;

/** The {@link LogWindowModel}'s view of a ListView's VirtualFlow: which rows are visible, and scrolling. */
final class ListViewport implements LogViewport {
    private final ListView<?> list;

    ListViewport(ListView<?> list) {
        this.list = list;
    }

    private VirtualFlow<?> flow() {
        return list.lookup(".virtual-flow") instanceof VirtualFlow<?> f ? f : null;
    }

    @Override
    public boolean laidOut() {
        return flow() != null;
    }

    @Override
    public int firstVisible() {
        VirtualFlow<?> f = flow();
        IndexedCell<?> c = f == null ? null : f.getFirstVisibleCell();
        return c == null ? -1 : c.getIndex();
    }

    /** The last row shown whole: a row cut off at the bottom is not in view (follow would stop a line short). */
    @Override
    public int lastVisible() {
        VirtualFlow<?> f = flow();
        IndexedCell<?> c = f == null ? null : f.getLastVisibleCell();
        if (c == null) {
            return -1;
        }
        Node clip = f.lookup(".clipped-container");
        if (clip != null && c.getIndex() > 0) {
            Bounds view = clip.localToScene(clip.getLayoutBounds());
            Bounds cell = c.localToScene(c.getLayoutBounds());
            if (cell.getMaxY() > view.getMaxY() + 0.5) {
                return c.getIndex() - 1;
            }
        }
        return c.getIndex();
    }

    /** setAll: the list, its selection and its flow react to one change, not to a clear and then an add. */
    @Override
    @SuppressWarnings("unchecked")
    public void replaceItems(List<LogLine> items, List<LogLine> lines) {
        if (items instanceof ObservableList<?> observable) {
            ((ObservableList<LogLine>) observable).setAll(lines);
        } else {
            LogViewport.super.replaceItems(items, lines);
        }
    }

    @Override
    public void scrollTo(int windowIndex) {
        list.scrollTo(windowIndex);
        VirtualFlow<?> f = flow();
        if (f != null) {
            // ListView puts the row at the top, from estimated heights; the flow's own scrollTo lays it out whole
            f.scrollTo(windowIndex);
        }
    }
}
