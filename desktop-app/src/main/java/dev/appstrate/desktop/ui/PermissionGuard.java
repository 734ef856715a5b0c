package dev.appstrate.desktop.ui;

import static dev.appstrate.desktop.client.ApiProblem.lacks;

import dev.appstrate.desktop.client.AppstrateClient;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;

/**
 * A page's actions and lists that need a permission the credential may lack (an API key's scopes): an action it cannot
 * do is hidden and a label says which permission is missing; a list it cannot read says so instead of "No … yet". An
 * action no API key may do, whatever its scopes (creating applications, on the original and ours), is hidden the same way
 * for a key ({@link #requireOwner}).
 * What the key lacks is known at connect or learned from the server's 403s, so pages call {@link #update} when shown
 * and after each load.
 */
public final class PermissionGuard {
    private record Action(String scope, List<Node> controls, Label reason) {
    }

    private record Placeholder(String scope, String empty, Label label) {
    }

    private final AppstrateClient client;
    private final List<Action> actions = new ArrayList<>();
    private final List<Placeholder> placeholders = new ArrayList<>();

    public PermissionGuard(AppstrateClient client) {
        this.client = client;
    }

    /** A table placeholder: {@code empty} when the list may be read, else what the key lacks. */
    public Label placeholder(String scope, String empty, String id) {
        Label l = new Label(empty);
        l.setId(id);
        l.setWrapText(true);
        placeholders.add(new Placeholder(scope, empty, l));
        update();
        return l;
    }

    /** Hides {@code controls} while the credential lacks {@code scope}; the returned label (place it beside them) says why. */
    public Label require(String scope, String id, Node... controls) {
        return require(scope, "", id, controls);
    }

    /** The same, the reason followed by what cannot be done ({@code "providers are added by an owner"}). */
    public Label require(String scope, String consequence, String id, Node... controls) {
        Label reason = new Label();
        reason.setUserData(consequence);
        reason.setId(id);
        reason.getStyleClass().add("muted");
        reason.setWrapText(true);
        actions.add(new Action(scope, List.of(controls), reason));
        update();
        return reason;
    }

    /** Hides {@code controls} while the credential is an API key; the returned label says why ({@code reason}, whole). */
    public Label requireOwner(String reason, String id, Node... controls) {
        return require(null, reason, id, controls);
    }

    /** Applies what is known now about the credential. */
    public void update() {
        var caps = client.capabilities();
        for (Action a : actions) {
            if (a.scope() == null) {
                show(a, !client.endpoint().apiKey(), (String) a.reason().getUserData());
                continue;
            }
            boolean ok = caps.allows(a.scope());
            String consequence = (String) a.reason().getUserData();
            show(a, ok, consequence.isEmpty() ? lacks(a.scope()) : lacks(a.scope()).replaceFirst("\\.$", ": ") + consequence + ".");
        }
        for (Placeholder p : placeholders) {
            p.label().setText(caps.allows(p.scope()) ? p.empty() : lacks(p.scope()) + " This list cannot be shown with it.");
        }
    }

    /** The action's controls shown when allowed, else hidden and its label saying {@code why}. */
    private static void show(Action a, boolean ok, String why) {
        for (Node n : a.controls()) {
            n.setVisible(ok);
            n.setManaged(ok);
        }
        a.reason().setText(ok ? "" : why);
        a.reason().setVisible(!ok);
        a.reason().setManaged(!ok);
    }
}
