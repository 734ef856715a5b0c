package dev.appstrate.desktop.ui.logs;

import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;

/** The {@link LogWindowModel}'s view of a ListView's VirtualFlow: which rows are visible, and scrolling. */
final class ListViewport implements LogWindowModel.Viewport {
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

    @Override
    public int lastVisible() {
        VirtualFlow<?> f = flow();
        IndexedCell<?> c = f == null ? null : f.getLastVisibleCell();
        return c == null ? -1 : c.getIndex();
    }

    @Override
    public void scrollTo(int windowIndex) {
        list.scrollTo(windowIndex);
    }
}
