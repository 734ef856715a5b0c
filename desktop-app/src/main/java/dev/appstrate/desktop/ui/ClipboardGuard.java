package dev.appstrate.desktop.ui;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javafx.animation.PauseTransition;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.util.Duration;

/**
 * Copies a secret to the clipboard and clears the clipboard after a while if it still holds that secret
 * (what the user copied since is left alone). Only a digest of the value is kept meanwhile. FX thread only.
 */
public final class ClipboardGuard {
    public static final Duration DEFAULT_DELAY = Duration.seconds(30);

    private final PauseTransition timer;
    private byte[] digest;

    public ClipboardGuard() {
        this(DEFAULT_DELAY);
    }

    public ClipboardGuard(Duration delay) {
        timer = new PauseTransition(delay);
        timer.setOnFinished(e -> clearIfUnchanged());
    }

    /** Puts the value on the clipboard and starts (or restarts) the countdown. */
    public void copy(String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        ClipboardContent content = new ClipboardContent();
        content.putString(value);
        Clipboard.getSystemClipboard().setContent(content);
        digest = sha256(value);
        timer.playFromStart();
    }

    /** Whether a copied value is waiting to be cleared. */
    public boolean armed() {
        return digest != null;
    }

    void clearIfUnchanged() {
        Clipboard cb = Clipboard.getSystemClipboard();
        if (digest != null && cb.hasString() && Arrays.equals(digest, sha256(cb.getString()))) {
            cb.clear();
        }
        digest = null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
