package dev.appstrate.desktop.ui.agents;

import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * One agent in the list: its name and id shortened with an ellipsis where the list is narrow (all of it on hover), its version
 * and running count always whole at the right, so the list never scrolls sideways.
 */
final class AgentCell extends ListCell<AgentsViewModel.AgentItem> {
    private final Label name = new Label();
    private final Label version = new Label();
    private final HBox box = new HBox(12, name, version);

    AgentCell() {
        name.setTextOverrun(OverrunStyle.ELLIPSIS);
        name.setMinWidth(0);
        name.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(name, Priority.ALWAYS);
        name.getStyleClass().add("agent-cell-name");
        version.setMinWidth(Region.USE_PREF_SIZE);
        version.getStyleClass().add("agent-cell-version");
        box.setMinWidth(0);
        box.setPrefWidth(0); // the cell takes the list's width, not its text's: no sideways scroll bar
        name.textFillProperty().bind(textFillProperty()); // selected rows read in the selection's text colour
        version.textFillProperty().bind(textFillProperty());
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        setPrefWidth(0);
    }

    @Override
    protected void updateItem(AgentsViewModel.AgentItem a, boolean empty) {
        super.updateItem(a, empty);
        if (empty || a == null) {
            setText(null);
            setGraphic(null);
            setTooltip(null);
            return;
        }
        String full = a + "   " + a.id();
        name.setText(full);
        version.setText("v" + a.version() + (a.runningRuns() > 0 ? "   ● " + a.runningRuns() + " running" : ""));
        setText(full + "  " + version.getText()); // what tests and screen readers read; the graphic is what shows
        setTooltip(new Tooltip(full));
        setGraphic(box);
    }

    /** The name as shown (cut with an ellipsis when the list is narrower than it). */
    Label nameLabel() {
        return name;
    }

    Label versionLabel() {
        return version;
    }
}
