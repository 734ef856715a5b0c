package dev.appstrate.desktop.ui;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A clear place in the sidebar for a screen that arrives with its own feature. */
public final class PlaceholderPage implements Page {
    private final PageId id;
    private final String comingWith;
    private final String what;

    public PlaceholderPage(PageId id, String comingWith, String what) {
        this.id = id;
        this.comingWith = comingWith;
        this.what = what;
    }

    @Override
    public String title() {
        return id.title();
    }

    @Override
    public Node view() {
        Label title = new Label(id.title());
        title.getStyleClass().add("placeholder-title");
        Label coming = new Label("Coming with " + comingWith + ".");
        coming.setId("placeholder-" + id.navId());
        Label desc = new Label(what);
        desc.getStyleClass().add("muted");
        desc.setWrapText(true);
        desc.setMaxWidth(520);
        VBox box = new VBox(title, coming, desc);
        box.getStyleClass().add("placeholder-box");
        return box;
    }
}
