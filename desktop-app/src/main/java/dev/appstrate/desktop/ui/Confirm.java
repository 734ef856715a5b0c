package dev.appstrate.desktop.ui;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * The one way the app asks before it acts: the window's title and header say what is being decided ("Delete schedule
 * 'nightly'?", not "Confirmation"), the detail says what follows, and the buttons say the action ("Delete") and
 * Cancel. Enter takes the action, Escape cancels.
 */
public final class Confirm {
    private Confirm() {
    }

    /** The question, not yet shown (for a caller that shows it itself or changes its kind). */
    public static Alert alert(Window owner, String question, String detail, String action) {
        ButtonType act = new ButtonType(action, ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, detail, act, ButtonType.CANCEL);
        a.setTitle(question);
        a.setHeaderText(question);
        a.getDialogPane().setId("confirm-dialog");
        if (owner != null) {
            DialogFit.apply(a, owner);
        }
        return a;
    }

    /** Asks, waits for the answer and runs {@code then} when the user took the action. */
    public static void ask(Window owner, String question, String detail, String action, Runnable then) {
        if (asked(owner, question, detail, action)) {
            then.run();
        }
    }

    /** Asks and waits: true when the user took the action (not Cancel, Escape or closing the window). */
    public static boolean asked(Window owner, String question, String detail, String action) {
        return alert(owner, question, detail, action).showAndWait()
                .filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE).isPresent();
    }

    /** A name as a question quotes it: 'nightly'. */
    public static String quoted(String name) {
        return "'" + name + "'";
    }
}
