package dev.appstrate.runner.tools;

/** A tool refused or failed; the message goes back to the model as an error result. */
public final class ToolFailure extends Exception {
    public ToolFailure(String message) {
        super(message);
    }
}
