package dev.appstrate.desktop.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/** Closing the window while schedules are enabled: keep running in the background, quit, or cancel. */
final class CloseDialog {
    private CloseDialog() {
    }

    static void ask(Stage owner, int schedules, Runnable keepRunning, Runnable quit) {
        ButtonType keep = new ButtonType("Keep running in the background", ButtonBar.ButtonData.OK_DONE);
        ButtonType quitButton = new ButtonType("Quit", ButtonBar.ButtonData.OTHER);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", keep, quitButton, ButtonType.CANCEL);
        DialogFit.apply(a, owner);
        a.setTitle("Close Appstrate Desktop");
        a.setHeaderText(schedules + (schedules == 1 ? " schedule is" : " schedules are") + " enabled");
        Label text = new Label("Schedules run only while Appstrate Desktop runs. Quitting stops them until the next "
                + "start.\n\nKeep running in the background: the window closes and the server keeps running "
                + "schedules. Start Appstrate Desktop again to bring the window back.");
        text.setWrapText(true);
        text.setPrefWidth(480);
        a.getDialogPane().setContent(text);
        a.getDialogPane().setId("close-dialog");
        a.setOnHidden(e -> {
            ButtonType b = a.getResult();
            if (b == keep) {
                keepRunning.run();
            } else if (b == quitButton) {
                quit.run();
            }
        });
        a.show();
    }
}
